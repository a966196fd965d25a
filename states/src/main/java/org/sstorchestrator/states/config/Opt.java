package org.sstorchestrator.states.config;

import java.util.List;
import java.util.Optional;

/**
 * Every option the shipped script reads (10.11.19, {@code wsrep_sst_mariabackup} and
 * {@code wsrep_sst_common}), and ours, each once: where it is read from, its default, what
 * the stock script does with it and what we do. {@link SstConfig} reads the values through
 * here, and docs/options.md is generated from here ({@code GeneratedDocsTest} fails when the
 * checked-in copy is stale), so the table cannot drift from the code.
 *
 * <p>Reading follows the stock script: the groups of an option are tried in order and the
 * first that gives a non-empty value wins (an empty value, or a bare name, counts as unset);
 * within one group (as my_print_defaults prints it, in file order) the last line wins; '_'
 * and '-' are the same, and a {@code loose-} prefix does not count.
 */
public enum Opt {

    // ---- the transfer ----
    STREAMFMT("streamfmt", Groups.SST, "mbstream", Support.DIFFERENT,
            "mbstream or xbstream: mbstream; anything else streams tar, which mariadb-backup 10.11 cannot do, so the backup"
                    + " fails (22) after the joiner has waited",
            "mbstream or xbstream; tar is refused at once (22) naming the option: mariadb-backup cannot stream it"),
    TRANSFERFMT("transferfmt", Groups.SST, "socat", Support.DIFFERENT,
            "nc: netcat, which ignores encrypt 2-4 (cleartext) and takes no sockopt; anything else: socat",
            "we copy the stream ourselves: both mean our own transport, with TLS whenever encrypt or ssl-mode asks; with"
                    + " nc, sockopt is not used (a WARNING says so), as stock"),
    SOCKOPT("sockopt", Groups.SST, null, Support.DIFFERENT,
            "appended verbatim to socat's address on both roles (blanks and commas trimmed); an option socat does not"
                    + " take for that address fails the SST there",
            "read in socat's syntax and applied to our sockets: bind, pf (ip4/ip6), keepalive, keepidle, keepintvl,"
                    + " keepcnt, nodelay, rcvbuf, sndbuf, reuseaddr, reuseport, linger, connect-timeout, backlog, tos"
                    + " (socat's long names too); with TLS, socat's OPENSSL options with their socat meaning: cipher"
                    + " (OpenSSL's cipher list, mapped to JSSE's suites; 22 when none maps), min-version, max-version,"
                    + " verify, commonname, no-sni and snihost (donor), dhparam; cert, key, cafile, capath when they"
                    + " name the ssl-* files (key: encrypt=2's key file); compress=none; egd, pseudo, compress=auto,"
                    + " and no-sni or snihost on the joiner mean nothing here and are refused (22) naming them; what"
                    + " is written is applied, where the stock script fails on an option it also sets (socat refuses"
                    + " one given twice); without TLS they are refused as socat refuses them on TCP; any other option"
                    + " is refused (22) naming it and its value"),
    PROGRESS("progress", Groups.SST, null, Support.DIFFERENT,
            "pv progress lines every 10 s on the backup stream: 1 to stderr (the error log), else a path (appended if"
                    + " it exists, FIFO too; the SST blocks until a FIFO is read; the FIFO is deleted at exit); none"
                    + " disables pv, and rlimit with it",
            "the same lines from our copy loop, every 10 s and at the end (bytes before compression, ETA from the"
                    + " donor's estimate); a relative path is taken from the datadir; a FIFO never blocks the stream"
                    + " (lines are dropped while nobody reads) and is not deleted; none keeps rlimit;"
                    + " mysqld's own --progress 1 lines go to stdout as before"),
    RLIMIT("rlimit", Groups.SST, null, Support.DIFFERENT,
            "pv -L <rlimit> on the donor's backup stream, after the compressor (k/m/g/t = powers of 1024);"
                    + " dropped silently with progress=none or without pv",
            "donor: the same limit, paced smoothly in our copy loop next to the socket (no second above the limit"
                    + " by more than 2 %), whatever progress says; recorded with the run (sst-admin watch, inspect);"
                    + " a value pv refuses is refused (22); sst-min-rate is lowered to half the limit"),
    COMPRESSOR("compressor", Groups.SST, null, Support.DIFFERENT,
            "donor only: a shell command line both transfers are piped through (after encryption)",
            "donor only: zstd, zstdmt, lz4, gzip or pigz named without a path, with options we model, run built in"
                    + " (same frames as the tool); any other command, or one with a path, runs as a child process"
                    + " from its argv (never a shell: shell syntax is refused, 22), its exit code judged (32) and its"
                    + " stderr in mariabackup.compressor.log; missing: 2 at preflight"),
    DECOMPRESSOR("decompressor", Groups.SST, null, Support.DIFFERENT,
            "joiner only: a shell command line both transfers are piped through (before decryption)",
            "joiner only: as compressor (zstd -d, unzstd, zstdcat, lz4 -d, unlz4, lz4cat, gzip -d, gunzip, zcat,"
                    + " pigz -d, unpigz built in; a corrupt or truncated stream fails the transfer, 32);"
                    + " stderr in mariabackup.decompressor.log"),
    COMPRESS("compress", Groups.ENCRYPTION, "none", Support.SAME,
            "donor only: --compress=<v> to the backup (qpress); the joiner expands *.qp files with qpress (missing:"
                    + " 22)",
            "the same: the donor passes it on; the joiner runs qpress -dT<cpus> per *.qp file before prepare and the"
                    + " wipe, and without qpress (not packaged for Debian 12) fails there (22), the old datadir whole"),
    COMPRESS_THREADS("compress-threads", Groups.ENCRYPTION, null, Support.SAME,
            "donor only, with compress: --compress-threads", "the same"),
    COMPRESS_CHUNK_SIZE("compress-chunk-size", Groups.ENCRYPTION, null, Support.SAME,
            "donor only, with compress: --compress-chunk-size", "the same"),

    // ---- TLS and encryption ----
    ENCRYPT("encrypt", Groups.ENCRYPTION, "0", Support.DIFFERENT,
            "0 off; 1 openssl enc of the stream; 2, 3, 4 TLS (socat) with growing checks; anything else: 22;"
                    + " with transferfmt=nc, 2-4 silently send cleartext. Not in a server group: there even loose-encrypt"
                    + " stops mariadbd 10.11 (ambiguous option: a prefix of encrypt_binlog, encrypt_tmp_*)",
            "the same levels, TLS by JSSE (its crypto AWS-LC's where the build ships it) and encrypt=1 in the copy"
                    + " loop, wire-compatible with socat and openssl enc"
                    + " both ways; transferfmt never turns TLS off; TLS asked for and unusable is an error (22, or 32"
                    + " when the peer fails the handshake), never cleartext"),
    SSL_MODE("ssl-mode", Groups.ENCRYPTION, "DISABLED", Support.DIFFERENT,
            "DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY (anything else: 22); with encrypt=0 and a cert and key, not"
                    + " DISABLED turns on encrypt=3 (REQUIRED without the CA), without them it is exit 22; VERIFY_* makes the"
                    + " joiner send <CN>:<secret>@ and a VERIFY_* without a CA silently verifies nothing",
            "the same, except that a VERIFY_* with no ssl-ca/ssl-capath is refused (22): verification is never weaker"
                    + " than asked"),
    ENCRYPT_ALGO("encrypt-algo", Groups.ENCRYPTION, null, Support.DIFFERENT,
            "encrypt=1: openssl enc's cipher, passed as -<algo>; empty: exit 3",
            "the same (empty: exit 3); AES-128/192/256 in CBC, CTR, CFB, CFB8, OFB or ECB and openssl's aliases"
                    + " (aes256 ...); another cipher is refused (22) at once instead of failing the transfer"),
    ENCRYPT_FORMAT("encrypt-format", Groups.ENCRYPTION, "openssl", Support.DIFFERENT, "openssl or xbcrypt (else exit 2)",
            "openssl; xbcrypt (not packaged for Debian 12) is refused with exit 2 and a message saying so"),
    ENCRYPT_KEY("encrypt-key", Groups.ENCRYPTION, null, Support.DIFFERENT,
            "encrypt=1's passphrase, on openssl's command line and in the error log",
            "the same passphrase, used in the process: never in an argv, a log, the history or sst-admin output;"
                    + " with encrypt=0 a WARNING"),
    ENCRYPT_KEY_FILE("encrypt-key-file", Groups.ENCRYPTION, null, Support.SAME,
            "read when encrypt-key is empty: its first line is the passphrase (openssl -kfile); unreadable and no key:"
                    + " exit 3", "the same"),
    ENCRYPT_THREADS("encrypt-threads", Groups.ENCRYPTION, null, Support.SAME, "xbcrypt only", "xbcrypt is refused"),
    ENCRYPT_CHUNK_SIZE("encrypt-chunk-size", Groups.ENCRYPTION, null, Support.SAME, "xbcrypt only", "xbcrypt is refused"),
    SSL_CA("ssl-ca", Groups.ENCRYPTION, null, Support.SAME,
            "the CA file (a directory, or a value ending in '/', is a CA path); read with encrypt 2-4 or an ssl-mode",
            "the same; checked before anything is changed: readable, and our certificate issued by it"),
    SSL_CAPATH("ssl-capath", Groups.ENCRYPTION, null, Support.SAME, "a hashed CA directory (openssl rehash)",
            "the same: the certificates under hashed names (<hash>.0 ...) are trusted"),
    SSL_CERT("ssl-cert", Groups.ENCRYPTION, null, Support.SAME,
            "the certificate (with encrypt=2 also its key); extra certificates in it are intermediates",
            "the same; PEM, checked readable, in its validity period and chained to the CA before the transfer"),
    SSL_KEY("ssl-key", Groups.ENCRYPTION, null, Support.SAME, "the key of ssl-cert (encrypt 3, 4)",
            "the same; PKCS#1, PKCS#8 or EC PEM, checked to be the certificate's own"),
    SSL_DHPARAMS("ssl-dhparams", Groups.ENCRYPTION, null, Support.DIFFERENT, "socat's dhparam= on both roles (not checked)",
            "checked readable as PEM DH parameters; the joiner uses them for DHE suites under TLS 1.2 (TLS 1.3 and ECDHE"
                    + " do not use them)"),
    TCA("tca", Groups.SST, null, Support.SAME, "legacy CA; any of tca/tcapath/tcert/tkey replaces all four ssl-*",
            "the same, with the stock INFO line when they differ"),
    TCAPATH("tcapath", Groups.SST, null, Support.SAME, "legacy CA directory", "as tca"),
    TCERT("tcert", Groups.SST, null, Support.SAME, "legacy certificate", "as tca"),
    TKEY("tkey", Groups.SST, null, Support.SAME, "legacy key", "as tca"),
    SSL_SERVER_CA("ssl-server-ca", Groups.ENCRYPTION, null, Support.SAME, "the joiner's (the listener's) CA, over the above",
            "the same"),
    SSL_SERVER_CAPATH("ssl-server-capath", Groups.ENCRYPTION, null, Support.SAME, "the joiner's CA path", "the same"),
    SSL_SERVER_CERT("ssl-server-cert", Groups.ENCRYPTION, null, Support.SAME, "the joiner's certificate", "the same"),
    SSL_SERVER_KEY("ssl-server-key", Groups.ENCRYPTION, null, Support.SAME, "the joiner's key", "the same"),
    SSL_CLIENT_CA("ssl-client-ca", Groups.ENCRYPTION, null, Support.SAME, "the donor's (the connector's) CA", "the same"),
    SSL_CLIENT_CAPATH("ssl-client-capath", Groups.ENCRYPTION, null, Support.SAME, "the donor's CA path", "the same"),
    SSL_CLIENT_CERT("ssl-client-cert", Groups.ENCRYPTION, null, Support.SAME, "the donor's certificate", "the same"),
    SSL_CLIENT_KEY("ssl-client-key", Groups.ENCRYPTION, null, Support.SAME, "the donor's key", "the same"),

    // ---- the backup and its steps ----
    INNO_BACKUP_OPTS("inno-backup-opts", Groups.BACKUP, null, Support.DIFFERENT,
            "spliced into the backup's command line and run by a shell (quotes honoured, $(...) and ; too)",
            "split into words as a shell splits them (quotes and backslashes honoured), never run by a shell"),
    INNO_APPLY_OPTS("inno-apply-opts", Groups.BACKUP, null, Support.DIFFERENT,
            "as inno-backup-opts, for prepare", "as inno-backup-opts, for prepare"),
    INNO_MOVE_OPTS("inno-move-opts", Groups.BACKUP, null, Support.DIFFERENT,
            "as inno-backup-opts, for move-back", "as inno-backup-opts, for move-back"),
    USE_MEMORY("use-memory", Groups.BACKUP, null, Support.DIFFERENT,
            "--use-memory for backup, prepare and move-back; unset: the server's innodb-buffer-pool-size; neither set:"
                    + " none (mariadb-backup prepares in 100M)",
            "the same; neither set: prepare gets a quarter of MemAvailable, 100M to 4G, and says so in the log"),
    BACKUP_THREADS("backup-threads", Groups.ENCRYPTION, null, Support.DIFFERENT,
            "--parallel for the backup (donor) and move-back (joiner); unset: none (one thread)",
            "the same, checked to be 1 to 1024; unset: the backup gets half the CPUs (at most 4), move-back every CPU"
                    + " (at most 8), when that is more than one, and the log says so"),
    LOG_COPY_INTERVAL("log-copy-interval", Groups.BACKUP, null, Support.DIFFERENT,
            "not read: mariadb-backup polls the redo log every 1000 ms (its default) unless its own groups say"
                    + " otherwise, and a donor that takes writes ends its backup up to a second later",
            "milliseconds, 1 to 60000, passed to the backup; unset: the backup gets --log-copy-interval=50 and the"
                    + " log says so (about 1 s less per SST on a donor that takes writes; inno-backup-opts still wins)"),
    TMPDIR("tmpdir", Groups.ENCRYPTION, null, Support.SAME,
            "the donor's two temporary directories (--tmpdir, --target-dir); the joiner uses the system's",
            "the same, and the joiner's own temporary directory too"),
    USE_EXTRA("use-extra", Groups.SST, "0", Support.SAME,
            "donor: 1 with thread-handling=pool-of-threads connects to 127.0.0.1:extra-port (no extra-port: exit 1)",
            "the same"),
    THREAD_HANDLING("thread-handling", Groups.SERVER, null, Support.SAME, "read for use-extra", "the same"),
    EXTRA_PORT("extra-port", Groups.SERVER, null, Support.SAME, "read for use-extra", "the same"),
    INNODB_BUFFER_POOL_SIZE("innodb-buffer-pool-size", Groups.SERVER, null, Support.SAME,
            "use-memory's fallback", "the same"),

    // ---- the joiner's layout ----
    CPAT("cpat", Groups.SST, SstConfig.DEFAULT_CPAT, Support.SAME,
            "regex (find syntax) of what the joiner's wipe keeps, whole path", "the same (\\| is alternation)"),
    SST_SPECIAL_DIRS("sst-special-dirs", Groups.SST, "1", Support.SAME,
            "0 logs 'not supported, falling back to 1' and goes on", "the same"),
    LOG_BIN("log-bin", Groups.SERVER, null, Support.DIFFERENT,
            "joiner, when mysqld passed no --binlog: the binary log's name (bare: <log-basename>-bin, else mysql-bin);"
                    + " its old logs and index are removed before the wipe; the logs the donor sent are removed, never"
                    + " installed (MDEV-38147); its directory is created after move-back",
            "the same, also when the binary log's directory is outside the datadir or does not exist yet; beyond"
                    + " stock, <base>.state goes from the binary log's directory too, where mysqld writes it"),
    LOG_BIN_INDEX("log-bin-index", Groups.SERVER, null, Support.SAME,
            "joiner: the index; unset: <log-basename>-bin.index, else <log-bin>.index; '.index' is added to a name"
                    + " without an extension", "the same"),
    LOG_BASENAME("log-basename", Groups.SERVER, null, Support.SAME, "joiner: the base of the binary log's and index's"
            + " names", "the same"),
    INNODB_DATA_HOME_DIR("innodb-data-home-dir", Groups.SERVER, null, Support.DIFFERENT,
            "joiner, when mysqld passed neither the argument nor INNODB_DATA_HOME_DIR: created at the start and wiped"
                    + " with the datadir (cpat applies); mysqld's own value also goes to mariadb-backup",
            "the same, but the wipe comes after prepare (the old data survives a failed transfer or prepare, space"
                    + " permitting, and the space plan counts what the wipe frees there); the directory itself is never"
                    + " removed, and one that holds the datadir (its parent, /) is refused (22) before anything is"
                    + " changed, where stock would empty it"),
    INNODB_LOG_GROUP_HOME_DIR("innodb-log-group-home-dir", Groups.SERVER, null, Support.DIFFERENT,
            "as innodb-data-home-dir (environment: INNODB_LOG_GROUP_HOME)", "as innodb-data-home-dir"),
    INNODB_UNDO_DIRECTORY("innodb-undo-directory", Groups.SERVER, null, Support.DIFFERENT,
            "as innodb-data-home-dir (environment: INNODB_UNDO_DIR)", "as innodb-data-home-dir"),
    ARIA_LOG_DIR_PATH("aria-log-dir-path", Groups.SERVER, null, Support.DIFFERENT,
            "as innodb-data-home-dir (no environment variable)", "as innodb-data-home-dir"),
    PLUGIN_DIR("plugin-dir", Groups.SERVER, "/usr/lib/mysql/plugin", Support.OURS,
            "not read (prepare loads whatever backup-my.cnf names)",
            "the only directory a key-management plugin is loaded from at prepare; backup-my.cnf's is ignored, and the"
                    + " plugin's own options (its key file...) are the joiner's, from mysqld's command line or my.cnf,"
                    + " never the stream's"),

    // ---- time, credentials, logs ----
    SST_INITIAL_TIMEOUT("sst-initial-timeout", Groups.SST, "300", Support.DIFFERENT,
            "seconds for transfer 1 (the position); 0 or less: none; not an integer: none (bash's '[' fails)",
            "seconds for transfer 1 as a whole and for the wait for transfer 2; 0: none; a negative or non-integer"
                    + " value is refused (22) naming it, rather than silently running without a timeout"),
    TIME("time", Groups.SST, "0", Support.SAME, "1 logs each step's duration", "every stage's duration is always logged and"
            + " recorded; any value is accepted"),
    WSREP_SST_AUTH("wsrep-sst-auth", Groups.SST, null, Support.SAME,
            "user:password when mysqld passes none", "the same; never in an argv, a log or the history"),
    SST_SYSLOG("sst-syslog", Groups.SST, "0", Support.SAME,
            "-1 keeps SST logs off syslog; any other integer: [mysqld_safe] syslog decides (1 alone does nothing);"
                    + " not an integer: off", "the same (not an integer: off, with a WARNING)"),
    SYSLOG("syslog", Groups.MYSQLD_SAFE, null, Support.DIFFERENT,
            "present (any value; Debian's default config has it): after 'Logging all stderr of SST/mariadb-backup to"
                    + " syslog' every SST line goes to logger (daemon.err/warning/info, tag <syslog-tag>-wsrep-sst-<role>),"
                    + " and mariadb-backup's output too (<syslog-tag>-innobackupex-backup/apply/move); no"
                    + " mariabackup.*.log is written or archived; without logger: an ERROR, and the steps then fail",
            "the same lines and output to syslog, through logger run from an argv; but mariabackup.*.log are still"
                    + " written (removed, not archived, at each start): failures are judged from them and sst-admin"
                    + " logs keeps them; a failing prepare or move-back is still detected (stock misses it in this mode);"
                    + " without logger: the same ERROR, then the usual stderr and log files"),
    SYSLOG_TAG("syslog-tag", Groups.MYSQLD_SAFE, null, Support.SAME,
            "the syslog tag's prefix, else SST_SYSLOG_TAG from the environment; '-' is always appended", "the same"),
    SST_LOG_ARCHIVE("sst-log-archive", Groups.SST, "1", Support.SAME,
            "1 archives the previous mariabackup.*.log gzipped at each start", "the same"),
    SST_LOG_ARCHIVE_DIR("sst-log-archive-dir", Groups.SST, "/tmp/sst_log_archive", Support.DIFFERENT,
            "where; created when missing; unusable: archived in place",
            "the same, but a directory that is a link, is not ours or is writable by others is refused (archived in"
                    + " place), and no archive file is written through a link"),

    // ---- ours ----
    SST_IDLE_TIMEOUT("sst-idle-timeout", Groups.SST, "300", Support.OURS, "none: a stalled stream waits for ever",
            "seconds a stream may stall before the run fails (32)"),
    SST_MIN_RATE("sst-min-rate", Groups.SST, "1K", Support.OURS, "none",
            "bytes a second a stream must average over each sst-idle-timeout window (0: off)"),
    SST_CONNECT_TIMEOUT("sst-connect-timeout", Groups.SST, "30", Support.OURS,
            "the donor sleeps 10 s between the transfers instead",
            "seconds the donor retries connecting while the joiner re-listens"),
    SST_EXTRACTOR("sst-extractor", Groups.SST, "builtin", Support.OURS, "mbstream -x, always",
            "builtin: the joiner extracts the stream itself (one process and one copy fewer, every failure ours);"
                    + " mbstream: through mbstream -x, kept for one release as a fallback"),
    SST_SPACE_RESERVE("sst-space-reserve", Groups.SST, "0", Support.OURS, "none: the disk fills mid-stream",
            "bytes (K, M, G) to leave free; decides whether the old data stays until the new is prepared"),
    HISTORY_DIR("history-dir", Groups.SST, "/var/lib/sst-orchestrator/<datadir as a name>", Support.OURS, "none",
            "the run history (an H2 database), outside the datadir"),
    CLUSTER_HISTORY("cluster-history", Groups.SST, null, Support.OURS, "none",
            "off unless set: schema.table (e.g. sst_orchestrator.history), an InnoDB table Galera replicates, where every"
                    + " run of ours leaves one row (docs/cluster-history.md): the donor writes it after its done line,"
                    + " a joiner's waits in its history until sst-admin publish or the node's next donor run; a failed"
                    + " write never fails or slows the SST; a value that is not schema.table is refused (22)"),
    METRICS_DIR("metrics-dir", Groups.SST, null, Support.OURS, "none: no SST metric anywhere",
            "an absolute directory (node_exporter's textfile directory, Debian's /var/lib/prometheus/node-exporter):"
                    + " every run writes galera_sst.prom there in Prometheus' text format, atomically, at each stage"
                    + " change, during a stream and at its end; a relative path is refused (22); a directory the run"
                    + " cannot write to costs a WARNING, never the SST");

    /** Where an option is read from, in the order tried (the first non-empty value wins). */
    public enum Groups {
        SST("[sst]", List.of("sst")),
        BACKUP("[sst], [xtrabackup], [mariabackup]", List.of("sst", "xtrabackup", "mariabackup")),
        ENCRYPTION("server groups, [sst], [xtrabackup], [mariabackup]", List.of(OptionFiles.SERVER, "sst", "xtrabackup",
                "mariabackup")),
        SERVER("server groups ([mysqld], [server], [mariadb], [mariadbd], [galera], [client-server], version and"
                + " suffix groups; the last one read wins)", List.of(OptionFiles.SERVER)),
        MYSQLD_SAFE("[mysqld_safe]", List.of("mysqld_safe"));

        private final String shown;
        private final List<String> groups;

        Groups(String shown, List<String> groups) {
            this.shown = shown;
            this.groups = groups;
        }

        public List<String> groups() {
            return groups;
        }
    }

    /** How our handling compares with the stock script's. */
    public enum Support {
        SAME("as stock"),
        DIFFERENT("differs, deliberately"),
        OURS("ours only"),
        NOT_YET("refused for now (22)"),
        PENDING("not yet as stock");

        private final String shown;

        Support(String shown) {
            this.shown = shown;
        }
    }

    private final String key;
    private final Groups groups;
    private final String dflt;
    private final Support support;
    private final String stock;
    private final String ours;

    Opt(String key, Groups groups, String dflt, Support support, String stock, String ours) {
        this.key = key;
        this.groups = groups;
        this.dflt = dflt;
        this.support = support;
        this.stock = stock;
        this.ours = ours;
    }

    public String key() {
        return key;
    }

    public Support support() {
        return support;
    }

    /** The first non-empty value of the option's groups, in order; empty when none sets it. */
    public Optional<String> value(OptionFiles cnf) {
        for (String g : groups.groups()) {
            Optional<String> v = cnf.get(List.of(g), key).map(String::strip).filter(s -> !s.isEmpty());
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /** The value, else the default (null when the option has none). */
    public String valueOrDefault(OptionFiles cnf) {
        return value(cnf).orElse(dflt);
    }

    /** Whether any of its groups has the option at all, with a value or not (stock's in_config). */
    public boolean present(OptionFiles cnf) {
        return groups.groups().stream().anyMatch(g -> cnf.get(List.of(g), key).isPresent());
    }

    /** The group list and key, for messages: "[sst] rlimit". */
    public String named() {
        return (groups == Groups.SST ? "[sst] " : groups == Groups.MYSQLD_SAFE ? "[mysqld_safe] " : "") + key;
    }

    /** docs/options.md: every option, generated. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("# Options of wsrep_sst_mariabackup_sm\n\n"
                + "Generated from `Opt.java`; `GeneratedDocsTest` fails when this file is stale. Every option the shipped\n"
                + "script (MariaDB 10.11.19) reads, and ours. Values are read as the stock script reads them: the groups\n"
                + "are tried in the order given and the first non-empty value wins; within a group the last line wins;\n"
                + "`_` and `-` are the same and a `loose-` prefix does not count. A value of the wrong type is refused\n"
                + "(exit 22) naming the option and the value.\n\n"
                + "| option | read from | default | stock script | mariabackup_sm | |\n"
                + "| --- | --- | --- | --- | --- | --- |\n");
        for (Opt o : values()) {
            out.append("| `").append(o.key).append("` | ").append(o.groups.shown).append(" | ")
                    .append(o.dflt == null ? "–" : "`" + o.dflt.replace("|", "\\|") + "`").append(" | ")
                    .append(o.stock.replace("|", "\\|")).append(" | ").append(o.ours.replace("|", "\\|")).append(" | ")
                    .append(o.support.shown).append(" |\n");
        }
        return out.toString();
    }
}
