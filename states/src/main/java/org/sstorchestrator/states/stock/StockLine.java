package org.sstorchestrator.states.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * The lines of the installed stock script (10.11: {@code wsrep_sst_common} and
 * {@code wsrep_sst_mariabackup}) that ours prints too, at the same point, with the same text,
 * in the same shape: {@code WSREP_SST: [INFO] Streaming the backup to joiner at 127.0.0.1:4444
 * (20261207 16:40:38.730)}, without our run and stage prefix, because tests, alerting and
 * runbooks grep the error log for them (issue 19). Each is written as the script writes it,
 * its shell expansions ({@code $REMOTEIP}) filled in order from what ours knows. Where the
 * stock words name a tool ours does not run, they stay unchanged at the start of the line and
 * what ours did follows. The lines ours does not print are {@link UnprintedStockLine}, each
 * with its reason; StockLineCatalogueTest holds both against the list extracted from the
 * installed script, and docs/stock-lines.md is generated from them.
 *
 * <p>{@link Use#RUN_ERROR} lines end the run: they begin the message of the failure, which
 * becomes the run's one ERROR line, in this shape ({@link #beginsRunError}).
 */
public enum StockLine {

    // ---- every run: its start and end ----
    STARTED(Level.INFO, "$WSREP_METHOD $WSREP_TRANSFER_TYPE started on $WSREP_SST_OPT_ROLE", Use.LINE,
            "at the start of every run; then the run's history directory in parentheses"),
    COMPLETED(Level.INFO, "$WSREP_METHOD $WSREP_TRANSFER_TYPE completed on $WSREP_SST_OPT_ROLE", Use.LINE,
            "the last line of a run that succeeded; the method is the program's name, as stock"),
    TOTAL_TIME_DONOR(Level.INFO, "Total time on donor: $totime seconds", Use.LINE, "before the donor's last line"),
    TOTAL_TIME_JOINER(Level.INFO, "Total time on joiner: $totime seconds", Use.LINE, "before the joiner's last line"),
    CLEANUP_AFTER_EXIT(Level.ERROR, "Cleanup after exit with status: $estatus", Use.LINE,
            "after the run's ERROR line, when it exits non-zero once it held wsrep_sst.pid (stock: its exit trap)"),
    SYSLOG(Level.INFO, "Logging all stderr of SST/mariadb-backup to syslog", Use.LINE, "as stock, before going to syslog"),
    LOGGER_MISSING(Level.ERROR, "logger not in path: $PATH. Ignoring", Use.LINE, "as stock"),

    UNRECOGNIZED_ROLE(Level.ERROR, "Unrecognized role: '$WSREP_SST_OPT_ROLE'", Use.RUN_ERROR,
            "exit 22; then the values it takes"),

    // ---- configuration, as read_cnf reads it: printed when my.cnf has been read ----
    SSL_OPTIONS_IGNORED(Level.INFO, "new ssl configuration options (ssl-ca[path], ssl-cert and ssl-key) are ignored by SST"
            + " due to presence of the tca[path], tcert and/or tkey in the [sst] section", Use.LINE, "as stock"),
    SSL_CONFIGURATION(Level.INFO, "SSL configuration: CA='$tcert', CAPATH='$tcap', CERT='$tpem', KEY='$tkey',"
            + " MODE='$tmode', encrypt='$encrypt'", Use.LINE, "on every run, before any TLS refusal, as stock"),
    UNRECOGNIZED_SSL_MODE(Level.ERROR, "Unrecognized ssl-mode option: '$tmode'", Use.RUN_ERROR,
            "exit 22; then the setting and the values it takes"),
    SSL_MODE_WITHOUT_CERTIFICATE(Level.ERROR, "ssl-mode is set to '$tmode', but no usable SSL certificate and key were"
            + " found. Cannot perform an encrypted transfer. Please configure ssl-cert and ssl-key, or set ssl-mode to"
            + " DISABLED.", Use.RUN_ERROR, "exit 22 (MDEV-28233); then which of them this role lacks"),
    SPECIAL_DIRS(Level.ERROR, "sst-special-dirs equal to 0 is not supported, falling back to 1", Use.LINE, "as stock"),
    THREAD_POOL_NOT_SET(Level.INFO, "Thread pool not set, ignore the option use_extra", Use.LINE, "as stock (donor)"),
    EXTRA_PORT_NULL(Level.ERROR, "Extra port $eport null, failing", Use.RUN_ERROR, "exit 1, as stock; then the settings"),
    PROGRESS_DISABLED(Level.INFO, "All progress/rate-limiting disabled by configuration", Use.LINE,
            "with progress=none, as stock"),
    ENCRYPTION_OPTIONS_WITHOUT_ENCRYPTION(Level.ERROR, "Options for encryption are specified, but encryption itself is"
            + " disabled. SST may fail.", Use.LINE, "as stock; the run goes on"),
    KEY_BASED_ENCRYPTION(Level.INFO, "Key based encryption enabled in my.cnf", Use.LINE, "with encrypt=1, as stock"),
    ENCRYPTION_ALGORITHM_EMPTY(Level.ERROR, "FATAL: Encryption algorithm empty from my.cnf, bailing out", Use.RUN_ERROR,
            "exit 3, as stock"),
    EITHER_KEY_OR_KEYFILE(Level.ERROR, "FATAL: Either key must be specified or keyfile must be readable", Use.RUN_ERROR,
            "exit 3, as stock; then what was found"),
    XBCRYPT_MISSING(Level.ERROR, "If encryption using the xbcrypt is enabled, then you need to install xbcrypt",
            Use.RUN_ERROR, "exit 2: ours never runs xbcrypt"),
    UNKNOWN_ENCRYPTION_FORMAT(Level.ERROR, "Unknown encryption format='$eformat'", Use.RUN_ERROR, "exit 2, as stock"),
    UNKNOWN_ENCRYPTION_MODE(Level.INFO, "Unknown encryption mode: encrypt=$encrypt", Use.RUN_ERROR,
            "exit 22; the run's ERROR line (stock prints it at INFO, then exits 22)"),

    // ---- tools and transport (get_stream, get_transfer) ----
    MY_PRINT_DEFAULTS_MISSING(Level.ERROR, "my_print_defaults not found in path", Use.RUN_ERROR, "exit 2; then the PATH"),
    MARIADB_BACKUP_MISSING(Level.ERROR, "mariadb-backup binary not found in path", Use.RUN_ERROR, "exit 42; then the PATH"),
    STREAMING_WITH(Level.INFO, "Streaming with $sfmt", Use.LINE, "mbstream, on every run"),
    STREAMING_WITHOUT_TOOL(Level.ERROR, "Streaming with $sfmt, but $sfmt not found in path", Use.RUN_ERROR,
            "exit 42, with sst-extractor=mbstream (the built-in extractor needs no mbstream)"),
    USING_SOCAT(Level.INFO, "Using socat as streamer", Use.LINE,
            "then ': built-in transport, socat-compatible (socat is not run)'"),
    USING_NETCAT(Level.INFO, "Using netcat as streamer", Use.LINE,
            "with transferfmt=nc; then ': built-in transport, plain TCP (nc is not run)'"),
    TLS_CRT_AND_PEM(Level.INFO, "Using openssl based encryption with socat: with crt and pem", Use.LINE,
            "encrypt=2; then ' (built-in TLS, socat-compatible)'"),
    TLS_KEY_AND_CRT(Level.INFO, "Using openssl based encryption with socat: with key and crt", Use.LINE,
            "encrypt=3 or 4 (an ssl-mode too); then ' (built-in TLS, socat-compatible)'"),
    PEM_AND_CRT_REQUIRED(Level.ERROR, "Both PEM file and CRT file (or path) are required", Use.RUN_ERROR,
            "exit 22; then the settings to set"),
    CERTIFICATE_AND_KEY_REQUIRED(Level.ERROR, "Both the certificate file (or path) and the key file are required",
            Use.RUN_ERROR, "exit 22; then the settings to set"),
    PEER_CERTIFICATE_REQUIRED(Level.ERROR, "Peer certificate file (or path) required if encrypt=4", Use.RUN_ERROR,
            "exit 22; then the settings to set"),
    PEM_AND_CA_READABLE(Level.ERROR, "Both PEM file and CA file (or path) must be readable", Use.RUN_ERROR,
            "exit 22; then the file and why"),
    CERTIFICATE_AND_KEY_READABLE(Level.ERROR, "Both the certificate file and the key file must be readable",
            Use.RUN_ERROR, "exit 22; then the file and why"),
    TLS_WITH_CA_ONLY(Level.INFO, "$action with cert='$tpem', ca='$tcert', capath='$tcap'", Use.LINE,
            "encrypt=2: Encrypting (donor) or Decrypting (joiner)"),
    TLS_WITHOUT_VERIFICATION(Level.INFO, "$action with cert='$tpem', key='$tkey', verify=0", Use.LINE,
            "encrypt=3 without a CA, or sockopt verify=0"),
    TLS_VERIFY_CA(Level.INFO, "Verifying peer certificate chain for ssl-mode=VERIFY_CA", Use.LINE, "as stock"),
    TLS_WITH_CA(Level.INFO, "$action with cert='$tpem', key='$tkey', ca='$tcert', capath='$tcap'", Use.LINE,
            "encrypt=3 or 4 with a CA"),

    // ---- both roles: the previous SST, the log archive ----
    PREVIOUS_SST_WAITING(Level.INFO, "Previous SST is not completed, waiting for it to exit", Use.LINE,
            "then the pid that holds wsrep_sst.pid"),
    PREVIOUS_SST_RUNNING(Level.ERROR, "previous SST script still running...", Use.RUN_ERROR, "exit 114; then the pid"),
    ARCHIVE_NOT_CREATED(Level.WARNING, "Unable to create '$sstlogarchivedir' directory", Use.LINE,
            "names the directory (stock empties the variable first and prints ''); then why"),
    ARCHIVE_NOT_WRITABLE(Level.WARNING, "The '$sstlogarchivedir' directory is not writtable", Use.LINE,
            "names the directory (stock prints ''), in the stock's spelling"),
    ARCHIVING_PREPARE_LOG(Level.INFO, "Moving '$INNOAPPLYLOG' to '$newfile'", Use.LINE, "as stock"),
    ARCHIVING_MOVE_LOG(Level.INFO, "Moving '$INNOMOVELOG' to '$newfile'", Use.LINE, "as stock"),
    ARCHIVING_BACKUP_LOG(Level.INFO, "Moving '$INNOBACKUPLOG' to '$newfile'", Use.LINE, "as stock"),
    ARCHIVING_FAILED(Level.WARNING, "Failed to archive log file ('$newfile')", Use.LINE, "then why"),

    // ---- donor ----
    EXTRA_PORT(Level.INFO, "SST through extra_port $eport", Use.LINE, "as stock"),
    JOINER_TOO_OLD(Level.ERROR, "Upgrade joiner to 5.6.21 or higher for backup locks support", Use.LINE,
            "before the next line"),
    JOINER_NOT_SUPPORTED(Level.ERROR, "The joiner is not supported for this version of donor", Use.RUN_ERROR,
            "exit 93; then the joiner's address"),
    TEMPORARY_DIRECTORY(Level.INFO, "Using '$xtmpdir' as mariadb-backup temporary directory", Use.LINE, "as stock"),
    WORKING_DIRECTORY(Level.INFO, "Using '$itmpdir' as mariadb-backup working directory", Use.LINE, "as stock"),
    ESTIMATING(Level.INFO, "Estimating total transfer size", Use.LINE, "with progress or --progress 1, as stock"),
    TO_TRANSFER(Level.INFO, "To transfer: $payload", Use.LINE, "as stock"),
    RATE_LIMITING(Level.INFO, "Rate-limiting SST to $rlimit", Use.LINE,
            "rlimit as written; then the bytes a second ours paces the stream to (pv is not run)"),
    STREAMING_GTID(Level.INFO, "Streaming GTID file before SST", Use.LINE, "as stock"),
    BYPASSING_FOR_IST(Level.INFO, "Bypassing the SST for IST", Use.LINE, "as stock"),
    STREAMING_TO_JOINER(Level.INFO, "Streaming the backup to joiner at $REMOTEIP:$SST_PORT", Use.LINE,
            "as stock, with no 10 s sleep before it"),
    BACKUP_FAILED(Level.ERROR, "mariadb-backup finished with error: ${RC[0]}. Check syslog or '$INNOBACKUPLOG' for"
            + " details", Use.RUN_ERROR, "exit 22; then the log's first errors and last line"),

    // ---- joiner ----
    STALE_IN_PROGRESS(Level.INFO, "Stale sst_in_progress file: $SST_PROGRESS_FILE", Use.LINE, "as stock"),
    PARENT_DIED(Level.ERROR, "Parent mysqld process (PID: $WSREP_SST_OPT_PARENT) terminated unexpectedly.",
            Use.RUN_ERROR, "exit 32, noticed at once at any stage"),
    DONOR_DOES_NOT_KNOW_SECRET(Level.ERROR, "Donor does not know my secret!", Use.RUN_ERROR,
            "exit 32; never the secrets themselves (stock prints both on the next line)"),
    IST_RECEIVED(Level.INFO, "'$IST_FILE' received from donor: Running IST", Use.LINE, "as stock"),
    PROCEEDING(Level.INFO, "Proceeding with SST", Use.LINE, "once transfer 1 says it is an SST"),
    STALE_SST_DIRECTORY(Level.INFO, "WARNING: Stale temporary SST directory: '$DATA/.sst' from previous state transfer,"
            + " removing...", Use.LINE, "as stock"),
    WAITING_FOR_STREAM(Level.INFO, "Waiting for SST streaming to complete!", Use.LINE,
            "when transfer 2 is received"),
    CHECKPOINTS_MISSING(Level.ERROR, "xtrabackup_checkpoints missing, failed mariadb-backup/SST on donor",
            Use.RUN_ERROR, "exit 2; then the directory"),
    INDEX_COMPACTION(Level.INFO, "Index compaction detected", Use.LINE, "before the next line"),
    COMPACT_NOT_SUPPORTED(Level.ERROR, "Compact backups are not supported by mariadb-backup", Use.RUN_ERROR,
            "exit 2, as stock"),
    QPRESS_FOUND(Level.INFO, "Compressed qpress files found", Use.LINE, "then how many"),
    QPRESS_MISSING(Level.ERROR, "qpress utility not found in the path", Use.RUN_ERROR, "exit 22; then the remedy"),
    DECOMPRESSION_THREADS(Level.INFO, "Decompression with $nproc threads", Use.LINE, "as stock"),
    QPRESS_REMOVED(Level.INFO, "Removing qpress files after decompression", Use.LINE, "as stock"),
    QPRESS_NOT_REMOVED(Level.ERROR, "Something went wrong with deletion of qpress files. Investigate", Use.LINE,
            "then the error"),
    DECOMPRESSION_FAILED(Level.ERROR, "Decompression failed. Exit code: $extcode", Use.RUN_ERROR,
            "exit 22; then the file and qpress's log"),
    PREPARING(Level.INFO, "Preparing the backup at $DATA", Use.LINE, "as stock"),
    PREPARE_FAILED(Level.ERROR, "mariadb-backup apply finished with errors. Check syslog or '$INNOAPPLYLOG' for details.",
            Use.RUN_ERROR, "exit 22; then the log's first errors, its last line and the cause's remedy"),
    CLEANING_OLD_BINLOGS(Level.INFO, "Cleaning the old binary logs", Use.LINE, "as stock"),
    CLEANING_BINLOG_DIRECTORY(Level.INFO, "Cleaning the binlog directory '$binlog_dir' as well", Use.LINE, "as stock"),
    CLEANING_DATADIR(Level.INFO, "Cleaning the existing datadir and innodb-data/log directories", Use.LINE,
            "when the old data is wiped: after prepare, or before the stream when both do not fit"),
    BINLOGS_REMOVED(Level.INFO, "Removing received binary log(s) so the joiner starts a fresh binary log seeded from the"
            + " storage-engine checkpoint", Use.LINE, "as stock (MDEV-38147)"),
    NO_BINLOG_RECEIVED(Level.INFO, "No binary log received from donor; the joiner will start a fresh binary log seeded"
            + " from the storage-engine checkpoint", Use.LINE, "as stock (MDEV-38147)"),
    MOVING_BACKUP(Level.INFO, "Moving the backup to $TDATA", Use.LINE, "as stock"),
    MOVE_SUCCESSFUL(Level.INFO, "Move successful, removing $DATA", Use.LINE, "as stock"),
    MOVE_FAILED(Level.ERROR, "Move failed, keeping '$DATA' for further diagnosis", Use.LINE, "before the next line"),
    MOVE_CHECK_LOG(Level.ERROR, "Check syslog or '$INNOMOVELOG' for details", Use.RUN_ERROR,
            "exit 22; then the log's first errors and last line"),
    CREATING_BINLOG_DIRECTORY(Level.INFO, "Creating the binlog directory '$binlog_dir'", Use.LINE, "as stock"),
    CREATING_BINLOG_INDEX_DIRECTORY(Level.INFO, "Creating the binlog index directory '$index_dir'", Use.LINE, "as stock"),
    MAGIC_FILE_MISSING(Level.ERROR, "Internal error: SST magic file '$MAGIC_FILE' not found or not readable",
            Use.RUN_ERROR, "exit 2"),
    SLEEPING_FOR_MTR(Level.INFO, "Sleeping $MTR_SST_JOINER_DELAY seconds for MTR test", Use.LINE,
            "MTR_SST_JOINER_DELAY, as stock"),
    COORDS_FROM_DONOR(Level.INFO, "Galera co-ords from donor: $coords", Use.LINE, "from donor_galera_info, or after IST"),
    COORDS_FROM_RECOVERY(Level.INFO, "Galera co-ords from recovery: $coords", Use.LINE,
            "from the backup's own galera info file"),
    REMOVING_IN_PROGRESS(Level.INFO, "Removing the sst_in_progress file", Use.LINE,
            "at the joiner's end, once it held wsrep_sst.pid (stock: its exit trap)"),
    CLEANING_TEMPORARY_DIRECTORIES(Level.INFO, "Cleaning up temporary directories", Use.LINE,
            "at the end of a run that held wsrep_sst.pid (stock: its exit trap)");

    /** The script's three functions: wsrep_log_info, wsrep_log_warning, wsrep_log_error. */
    public enum Level { INFO, WARNING, ERROR }

    /** A line printed where the script prints it, or the start of the failure that ends the run. */
    public enum Use { LINE, RUN_ERROR }

    /** The logger of these lines: SstLogFormat prints them without our run and stage prefix. */
    public static final String LOGGER = "WSREP_SST";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    /** A shell expansion in a stock line: $NAME, ${...}, $(...), $1. */
    static final Pattern EXPANSION = Pattern.compile(
            "\\$\\{[^}]*}|\\$\\((?:[^()]|\\([^()]*\\))*\\)|\\$[A-Za-z_][A-Za-z0-9_]*|\\$[0-9!*@#?]");

    private final Level level;
    private final String stock;
    private final Use use;
    private final String ours;
    private Pattern start;

    StockLine(Level level, String stock, Use use, String ours) {
        this.level = level;
        this.stock = stock;
        this.use = use;
        this.ours = ours;
    }

    public Level level() {
        return level;
    }

    /** The line as the installed script writes it, its expansions unfilled. */
    public String stock() {
        return stock;
    }

    public Use use() {
        return use;
    }

    /** What ours does with it, for docs/stock-lines.md. */
    public String ours() {
        return ours;
    }

    /** The stock text with its expansions filled in order from {@code values}. */
    public String text(Object... values) {
        Matcher m = EXPANSION.matcher(stock);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (m.find()) {
            if (i >= values.length) {
                throw new IllegalArgumentException(name() + " needs " + (i + 1) + " values: " + stock);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(values[i++])));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Prints the line, its expansions filled from {@code values}. */
    public void log(Object... values) {
        print(level, text(values));
    }

    /** Prints the line, then {@code addition} (what ours did beyond it), right after the stock text. */
    public void logWith(String addition, Object... values) {
        print(level, text(values) + addition);
    }

    /** The line to print later (read with the configuration, printed once the run can log). */
    public Printed with(Object... values) {
        return new Printed(this, text(values));
    }

    /** The failure that ends the run with this line, then {@code addition}. */
    public SstException failure(ExitCode code, String addition, Object... values) {
        return new SstException(code, text(values) + addition);
    }

    /** One line with its values filled, printed when {@link #log()} is called. */
    public record Printed(StockLine line, String text) {
        public void log() {
            print(line.level, text);
        }
    }

    private static void print(Level level, String text) {
        switch (level) {
            case ERROR -> LOG.error("{}", text);
            case WARNING -> LOG.warn("{}", text);
            default -> LOG.info("{}", text);
        }
    }

    /**
     * Whether a failure's message begins with a stock line that ends the run, so that the run's
     * ERROR line is printed in the stock shape: mysqld's error log then shows it as the stock
     * script would, with what ours adds after it.
     */
    public static boolean beginsRunError(String message) {
        if (message == null) {
            return false;
        }
        for (StockLine l : values()) {
            if (l.use == Use.RUN_ERROR && l.startPattern().matcher(message).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    private synchronized Pattern startPattern() {
        if (start == null) {
            StringBuilder regex = new StringBuilder();
            Matcher m = EXPANSION.matcher(stock);
            int at = 0;
            while (m.find()) {
                regex.append(Pattern.quote(stock.substring(at, m.start()))).append(".*?");
                at = m.end();
            }
            regex.append(Pattern.quote(stock.substring(at)));
            start = Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
        return start;
    }

    /** Every line of the catalogue by its stock text, printed or not, for the catalogue's test and doc. */
    public static List<String> stockTexts() {
        List<String> out = new ArrayList<>();
        for (StockLine l : values()) {
            out.add(l.level + "\t" + l.stock);
        }
        return out;
    }
}
