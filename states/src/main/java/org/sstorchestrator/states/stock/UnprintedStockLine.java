package org.sstorchestrator.states.stock;

/**
 * The lines of the installed stock script that ours does not print, each with the reason: what
 * it reports is a tool ours does not run, a step ours does not take, or a failure ours reports
 * otherwise (its ERROR line then says what failed, with a documented exit code). Together with
 * {@link StockLine} this is the whole of the script's lines; StockLineCatalogueTest holds both
 * against the list extracted from the installed script, so a line it adds, renames or drops
 * fails the build until it is placed here or there.
 */
public enum UnprintedStockLine {

    INVALID_VALUE(StockLine.Level.ERROR, "Invalid value for $1: ${!1}", Reason.OTHERWISE,
            "a value with a blank or quote: ours checks every value against its grammar instead and names it (exit 22;"
                    + " stock: 21)"),
    DATADIR_MISSING(StockLine.Level.ERROR, "The '--datadir' parameter must be passed to the SST script", Reason.OTHERWISE,
            "'--datadir is missing; mysqld always passes it' (exit 22; stock: 2)"),
    PROGRAM_MISSING(StockLine.Level.ERROR, "'$prog' not found in path", Reason.TOOL, "socat or nc"),
    SECRET_NOT_GENERATED(StockLine.Level.ERROR, "Unable to generate 16-byte secret", Reason.TOOL,
            "openssl rand: ours takes the joiner's secret from the JDK's SecureRandom"),
    SELINUX_PROC_NET(StockLine.Level.INFO, "/proc/net/tcp{,6} is being used directly to avoid excessive selinux AVC"
            + " notices", Reason.STEP, "polling for the listener: ours prints ready once its socket is bound"),
    NO_SOCKET_UTILITY(StockLine.Level.ERROR, "Neither lsof, nor sockstat, nor ss tool were found in the path. Make sure"
            + " you have at least one of them installed.", Reason.STEP, "polling for the listener with ss, lsof or sockstat"),
    SOCKET_UTILITY(StockLine.Level.INFO, "'$socket_uname' is selected as a socket information utility.", Reason.STEP,
            "polling for the listener with ss, lsof or sockstat"),
    UNKNOWN_SOCKET_UTILITY(StockLine.Level.ERROR, "Unknown sockets utility", Reason.STEP,
            "polling for the listener with ss, lsof or sockstat"),
    DHPARAMS_CREATING(StockLine.Level.INFO, "Could not find dhparams file, creating $ssl_dhparams", Reason.TOOL,
            "socat older than 1.7.3 and openssl dhparam: ours uses ssl-dhparams when set, else JSSE's FFDHE groups"),
    DHPARAMS_RUN(StockLine.Level.INFO, "run: \"$OPENSSL_BINARY\" dhparam -out \"$ssl_dhparams\" -dsaparam 2048",
            Reason.TOOL, "openssl dhparam"),
    OPENSSL_OUTPUT(StockLine.Level.INFO, "output: $errmsg", Reason.TOOL,
            "openssl's output: ours checks the files itself and says why in its ERROR line"),
    DHPARAMS_BOX_TOP(StockLine.Level.ERROR, "******** ERROR *****************************************", Reason.TOOL,
            "openssl dhparam"),
    DHPARAMS_BOX(StockLine.Level.ERROR, "* Could not create the dhparams.pem file with OpenSSL. *", Reason.TOOL,
            "openssl dhparam"),
    DHPARAMS_BOX_BOTTOM(StockLine.Level.ERROR, "********************************************************", Reason.TOOL,
            "openssl dhparam"),
    OPENSSL_NOT_FOUND(StockLine.Level.INFO, "openssl utility not found", Reason.TOOL,
            "openssl: ours always checks the certificate, key and CA itself"),
    OPENSSL_VERIFY_RUN(StockLine.Level.INFO, "run: \"$OPENSSL_BINARY\" verify -verbose${ca:+ -CAfile \"$ca\"}${cap:+"
            + " -CApath \"$cap\"} \"$cert\"", Reason.TOOL, "openssl verify"),
    CA_MISMATCH_BOX_TOP(StockLine.Level.ERROR, "******** FATAL ERROR ********************************************",
            Reason.OTHERWISE, "the box's words are the run's one ERROR line: 'The certifcate and CA (certificate"
                    + " authority) do not match. It does not appear ...' (exit 22), then the files and why"),
    CA_MISMATCH_BOX_1(StockLine.Level.ERROR, "* The certifcate and CA (certificate authority) do not match.   *",
            Reason.OTHERWISE, "the run's one ERROR line begins with these words"),
    CA_MISMATCH_BOX_2(StockLine.Level.ERROR, "* It does not appear that the certificate was issued by the CA. *",
            Reason.OTHERWISE, "in the run's one ERROR line"),
    CA_MISMATCH_BOX_3(StockLine.Level.ERROR, "* Please check your certificate and CA files.                   *",
            Reason.OTHERWISE, "in the run's one ERROR line"),
    CA_MISMATCH_BOX_BOTTOM(StockLine.Level.ERROR, "*****************************************************************",
            Reason.OTHERWISE, "the box's frame"),
    KEY_MISMATCH_BOX_TOP(StockLine.Level.ERROR, "******************* FATAL ERROR *****************", Reason.OTHERWISE,
            "the box's words are the run's one ERROR line: 'The certificate and private key do not match. Please check"
                    + " your certificate and key files.' (exit 22), then the files"),
    KEY_MISMATCH_BOX_1(StockLine.Level.ERROR, "* The certificate and private key do not match. *", Reason.OTHERWISE,
            "the run's one ERROR line begins with these words"),
    KEY_MISMATCH_BOX_2(StockLine.Level.ERROR, "* Please check your certificate and key files.  *", Reason.OTHERWISE,
            "in the run's one ERROR line"),
    KEY_MISMATCH_BOX_BOTTOM(StockLine.Level.ERROR, "*************************************************", Reason.OTHERWISE,
            "the box's frame"),
    UNABLE_TO_KILL(StockLine.Level.WARNING, "Unable to kill PID=$pid${pid_file:+ ($pid_file)}", Reason.OTHERWISE,
            "ours kills its own children by handle (and their descendants) and records each child's end"),
    OPENSSL_FOR_AUTHENTICATION(StockLine.Level.ERROR, "openssl not found but it is required for authentication",
            Reason.TOOL, "openssl x509: ours reads the certificate's CN itself"),
    OPENSSL_X509_RUN(StockLine.Level.INFO, "run: \"$OPENSSL_BINARY\" x509 -noout -subject -in \"$1\"", Reason.TOOL,
            "openssl x509"),
    OPENSSL_CN_OUTPUT(StockLine.Level.INFO, "output: $CN", Reason.TOOL, "openssl x509"),
    CN_BOX_TOP(StockLine.Level.ERROR, "******** FATAL ERROR **********************************************", Reason.TOOL,
            "openssl x509: an unreadable certificate is the run's one ERROR line (exit 22), naming the file"),
    CN_BOX(StockLine.Level.ERROR, "* Unable to parse the certificate file to obtain the common name. *", Reason.TOOL,
            "openssl x509"),
    CN_BOX_BOTTOM(StockLine.Level.ERROR, "*******************************************************************",
            Reason.TOOL, "openssl x509"),
    CN_OPTIONS(StockLine.Level.ERROR, "* Unable to parse the certificate options: '$CN'", Reason.TOOL, "openssl x509"),
    EVALUATING(StockLine.Level.INFO, "Evaluating $cmd", Reason.STEP,
            "a shell pipeline: ours runs none; each child's argv is recorded (sst-admin inspect) and logged at DEBUG"),
    STAGE_TOOK(StockLine.Level.INFO, "NOTE: $stage took $took seconds", Reason.OTHERWISE,
            "[sst] time=1: ours logs every stage's duration on every run ('prepare completed in 812 ms')"),
    TAR_ENCRYPTION(StockLine.Level.INFO, "NOTE: key-based encryption (encrypt=1) cannot be enabled with tar format",
            Reason.OTHERWISE, "streamfmt=tar is refused (22): mariadb-backup 10.11 cannot stream tar"),
    OPENSSL_FOR_ENCRYPTION(StockLine.Level.ERROR, "If encryption using the openssl is enabled, then you need to install"
            + " openssl", Reason.TOOL, "openssl enc: ours encrypts the stream itself, openssl enc-compatible"),
    XBCRYPT_NOTE(StockLine.Level.INFO, "NOTE: xbcrypt-based encryption, supported only from Xtrabackup 2.1.4",
            Reason.TOOL, "xbcrypt: encrypt-format=xbcrypt is refused (2), as the stock script without xbcrypt"),
    SOCAT_VERSION_BOX_TOP(StockLine.Level.ERROR, "******** FATAL ERROR ******************", Reason.TOOL, "socat"),
    SOCAT_VERSION_BOX(StockLine.Level.ERROR, "* Cannot determine the socat version. *", Reason.TOOL, "socat"),
    SOCAT_VERSION_BOX_BOTTOM(StockLine.Level.ERROR, "***************************************", Reason.TOOL, "socat"),
    NCAT(StockLine.Level.INFO, "Using Ncat as streamer", Reason.TOOL, "the flavour of nc"),
    DEBIAN_NETCAT(StockLine.Level.INFO, "Using Debian netcat as streamer", Reason.TOOL, "the flavour of nc"),
    TRADITIONAL_NETCAT(StockLine.Level.INFO, "Using traditional netcat as streamer", Reason.TOOL, "the flavour of nc"),
    NC_N(StockLine.Level.INFO, "Using nc -N", Reason.TOOL, "nc's options"),
    SOCAT_OPENSSL_BOX_TOP(StockLine.Level.ERROR, "******** FATAL ERROR ************************************************ ",
            Reason.TOOL, "socat without OpenSSL"),
    SOCAT_OPENSSL_BOX(StockLine.Level.ERROR, "* Encryption requested, but socat is not OpenSSL enabled (encrypt=$encrypt) *",
            Reason.TOOL, "socat without OpenSSL"),
    SOCAT_OPENSSL_BOX_BOTTOM(StockLine.Level.ERROR, "********************************************************************* ",
            Reason.TOOL, "socat without OpenSSL"),
    SOCAT_WORKAROUND(StockLine.Level.INFO, "Use workaround for socat $SOCAT_VERSION bug", Reason.TOOL,
            "socat 1.7.3.3 to 1.7.4.0"),
    NO_CURRENT_POSITION(StockLine.Level.ERROR, "Failed to get current position", Reason.OTHERWISE,
            "a joiner that would end 0 without a position: ours cannot, its last stage is the position (promise P1)"),
    REMOVING_MAGIC_FILE(StockLine.Level.ERROR, "Removing $MAGIC_FILE file due to signal", Reason.OTHERWISE,
            "the abort stage removes what the run made and records it (sst-admin inspect)"),
    STREAMING_STILL_RUNNING(StockLine.Level.ERROR, "SST streaming process is still running. Killing...",
            Reason.OTHERWISE, "the abort stage ends the run's children and records it"),
    CLEANING_FIFO(StockLine.Level.INFO, "Cleaning up fifo file: $progress", Reason.OTHERWISE,
            "ours never removes an operator's progress FIFO"),
    FIRST_DATA_TIMEOUT(StockLine.Level.ERROR, "Possible timeout in receiving first data from donor in gtid stage: exit"
            + " codes: ${RC[@]}", Reason.PIPELINE, "'sst-initial-timeout (N s) passed with no position from the donor"
                    + " ...' (exit 32)"),
    RECEIVE_ERROR(StockLine.Level.ERROR, "Error while getting data from donor node: exit codes: ${RC[@]}",
            Reason.PIPELINE, "what failed in the transfer, by stage (exit 32)"),
    NO_MAGIC_FILE(StockLine.Level.ERROR, "receiving process ended without creating magic file ($MAGIC_FILE)",
            Reason.OTHERWISE, "'transfer 1 ended without an info file ...' (exit 32)"),
    DATADIR_CONTENTS(StockLine.Level.INFO, "Contents of datadir:", Reason.OTHERWISE,
            "what transfer 1 brought is recorded instead"),
    DATADIR_LISTING(StockLine.Level.INFO, "$(ls -l \"$dir\"/*)", Reason.OTHERWISE, "what transfer 1 brought is recorded"),
    SECRETS(StockLine.Level.INFO, "Donor: '$SECRET', my: '$MY_SECRET'", Reason.OTHERWISE,
            "it prints both secrets: ours never logs a secret (promise P7)"),
    SEND_ERROR(StockLine.Level.ERROR, "Error while sending data to joiner node: exit codes: ${RC[@]}", Reason.PIPELINE,
            "what failed in the transfer, by stage (exit 32)"),
    FOOTPRINT(StockLine.Level.INFO, "SST footprint estimate: data: $payload_data, undo: $payload_undo", Reason.OTHERWISE,
            "ours sums every file of the datadir that mariadb-backup copies, without a split: 'To transfer: N' is"
                    + " printed"),
    PV_MISSING(StockLine.Level.INFO, "Progress reporting tool pv not found in path: $PATH", Reason.TOOL,
            "pv: ours reports progress and limits the rate itself"),
    PROGRESS_OFF_WITHOUT_PV(StockLine.Level.INFO, "Disabling all progress/rate-limiting", Reason.TOOL,
            "pv: progress and rlimit always work in ours"),
    SLEEPING_BEFORE_TRANSFER(StockLine.Level.INFO, "Sleeping before data transfer for SST", Reason.STEP,
            "the donor's fixed 10 s sleep: ours connects at once and retries within sst-connect-timeout"),
    TRANSPORT_ERROR(StockLine.Level.ERROR, "$tcmd finished with error: ${RC[1]}", Reason.PIPELINE,
            "what failed in the transfer (exit 32)");

    /** Why a line is not printed. */
    public enum Reason {
        /** It reports a tool ours does not run. */
        TOOL("about a tool ours does not run"),
        /** It reports a step ours does not take. */
        STEP("about a step ours does not take"),
        /** It lists the exit codes of a shell pipeline; ours has none. */
        PIPELINE("lists a shell pipeline's exit codes; ours runs no pipeline, its ERROR line says"),
        /** Ours reports the same thing another way. */
        OTHERWISE("ours reports it otherwise");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private final StockLine.Level level;
    private final String stock;
    private final Reason reason;
    private final String detail;

    UnprintedStockLine(StockLine.Level level, String stock, Reason reason, String detail) {
        this.level = level;
        this.stock = stock;
        this.reason = reason;
        this.detail = detail;
    }

    public StockLine.Level level() {
        return level;
    }

    public String stock() {
        return stock;
    }

    public Reason reason() {
        return reason;
    }

    /** What, and what ours does instead. */
    public String detail() {
        return detail;
    }
}
