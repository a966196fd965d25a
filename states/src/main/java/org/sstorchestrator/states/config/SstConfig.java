package org.sstorchestrator.states.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.text.Secret;
import org.sstorchestrator.wire.Copier;

/**
 * The options a run works with ({@link Opt} says where each is read from and how it compares
 * with the stock script), read once and typed. A value of the wrong type is refused with the
 * option's name and value (exit 22). An option this version cannot honour is refused when set,
 * never silently ignored: an operator who asked for compression or TLS must not get a
 * cleartext, uncompressed SST instead (promise P8). Where the stock script accepts an option
 * and goes on, so do we, with its log line ({@link #warnings}).
 */
public record SstConfig(
        Duration initialTimeout,
        Duration idleTimeout,
        Duration connectTimeout,
        long minRate,
        Pattern keepPattern,
        String cpatSource,
        boolean logArchive,
        Path logArchiveDir,
        /* masked in this record's toString(), as every secret is */
        Optional<Secret> auth,
        List<String> backupOptions,
        List<String> applyOptions,
        List<String> moveOptions,
        Optional<String> useMemory,
        /* the server's innodb-buffer-pool-size from my.cnf: use-memory's last fallback */
        Optional<String> serverBufferPool,
        Optional<Integer> backupThreads,
        /* mariadb-backup's --log-copy-interval (ms) when set; unset: the donor passes its own */
        Optional<Integer> logCopyInterval,
        Optional<Path> tmpdir,
        Optional<Path> historyDir,
        /* [sst] cluster-history: the cluster's SST history table, or empty (off) */
        Optional<ClusterHistoryTable> clusterHistory,
        /* where each run writes galera_sst.prom (node_exporter's textfile format); empty: no metrics */
        Optional<Path> metricsDir,
        long spaceReserve,
        /* true: the joiner extracts the stream itself; false: through mbstream -x (the fallback) */
        boolean builtinExtractor,
        Optional<Path> pluginDir,
        Map<String, String> keyManagement,
        /* donor, use-extra=1 with a thread pool: the backup connects to 127.0.0.1 on this port */
        Optional<Integer> extraPort,
        /* where the server keeps its InnoDB/Aria directories and binary logs, per my.cnf */
        ServerFiles serverFiles,
        /* encrypt and ssl-mode, and the TLS files of this role */
        TlsSettings tls,
        /* encrypt=1: openssl enc of the stream (its passphrase masked in toString) */
        Optional<StreamEncryption> streamEncryption,
        /* compressor, rlimit, progress, sockopt, compress, transferfmt (issue 10) */
        StreamOptions stream,
        /* the installed script's test hooks from mysqld's environment (MTR_SST_...) */
        TestHooks hooks,
        /* the stock script's lines of reading its configuration ("SSL configuration: ..."), printed as it prints them */
        List<StockLine.Printed> notices,
        List<String> warnings) {

    /** The stock script's keep-list for the joiner's wipe (find -regex, whole path). */
    public static final String DEFAULT_CPAT = ".*\\.pem$\\|.*galera\\.cache$\\|.*sst_in_progress$\\|.*\\.sst$"
            + "\\|.*gvwstate\\.dat$\\|.*grastate\\.dat$\\|.*\\.err$\\|.*\\.log$\\|.*RPM_UPGRADE_MARKER$\\|.*RPM_UPGRADE_HISTORY$";

    /** As a joiner reads it (compress and use-extra are the donor's business). */
    public static SstConfig from(OptionFiles cnf) {
        return from(cnf, Role.JOINER);
    }

    /**
     * mysqld's wsrep_sst_auth as my.cnf sets it (server groups, then [sst]), for sst-admin, which
     * has no mysqld to pass it; a run reads {@link Opt#WSREP_SST_AUTH} only when mysqld passed none.
     */
    public static Optional<Secret> serverSstAuth(OptionFiles cnf) {
        return cnf.get(List.of(OptionFiles.SERVER, "sst"), "wsrep-sst-auth").map(Secret::of);
    }

    public static SstConfig from(OptionFiles cnf, Role role) {
        return from(cnf, role, TestHooks.NONE);
    }

    /** As a run reads it: {@code hooks} from mysqld's environment ({@link TestHooks}). */
    public static SstConfig from(OptionFiles cnf, Role role, TestHooks hooks) {
        return from(cnf, role, hooks, new ArrayList<>());
    }

    /**
     * As above; the stock script's lines of this reading are added to {@code notices} as they
     * are found, in its order, so that the run prints them before a refusal too.
     */
    public static SstConfig from(OptionFiles cnf, Role role, TestHooks hooks, List<StockLine.Printed> notices) {
        List<String> warnings = new ArrayList<>();
        TlsSettings tls = TlsSettings.resolve(cnf, role, hooks.simulateNoSslCertificate(), notices);
        refuseUnimplemented(cnf, role, notices);
        warnings.addAll(tls.warnings());
        if ("none".equals(Opt.PROGRESS.value(cnf).orElse(null))) {
            notices.add(StockLine.PROGRESS_DISABLED.with());
        }
        if (tls.encrypt() == Encrypt.OPENSSL_ENC) {
            notices.add(StockLine.KEY_BASED_ENCRYPTION.with());
        }
        Optional<StreamEncryption> streamEncryption = tls.encrypt() == Encrypt.OPENSSL_ENC ? Optional.of(StreamEncryption.from(cnf))
                : Optional.empty();
        if (tls.encrypt() == Encrypt.NONE && (Opt.ENCRYPT_ALGO.value(cnf).isPresent() || Opt.ENCRYPT_KEY.value(cnf).isPresent()
                || Opt.ENCRYPT_KEY_FILE.value(cnf).isPresent())) {
            notices.add(StockLine.ENCRYPTION_OPTIONS_WITHOUT_ENCRYPTION.with());
        }
        StreamOptions stream = StreamOptions.from(cnf, role, warnings);
        if (!tls.tls()) {
            stream.sockOpts().tlsOptionsWithoutTls(Opt.SOCKOPT.named());
        } else {
            tls = SocatTls.apply(stream.sockOpts().tls(), tls, warnings);
        }
        String cpat = Opt.CPAT.valueOrDefault(cnf);
        return new SstConfig(
                seconds(cnf, Opt.SST_INITIAL_TIMEOUT),
                seconds(cnf, Opt.SST_IDLE_TIMEOUT),
                seconds(cnf, Opt.SST_CONNECT_TIMEOUT),
                minRate(bytes(cnf, Opt.SST_MIN_RATE), stream.rateLimit(), warnings),
                keepPattern(cpat),
                cpat,
                logArchive(cnf, warnings),
                Path.of(trimDir(Opt.SST_LOG_ARCHIVE_DIR.valueOrDefault(cnf))),
                Opt.WSREP_SST_AUTH.value(cnf).map(Secret::of),
                Opt.INNO_BACKUP_OPTS.value(cnf).map(v -> Words.split(Opt.INNO_BACKUP_OPTS.key(), v)).orElse(List.of()),
                Opt.INNO_APPLY_OPTS.value(cnf).map(v -> Words.split(Opt.INNO_APPLY_OPTS.key(), v)).orElse(List.of()),
                Opt.INNO_MOVE_OPTS.value(cnf).map(v -> Words.split(Opt.INNO_MOVE_OPTS.key(), v)).orElse(List.of()),
                Opt.USE_MEMORY.value(cnf),
                Opt.INNODB_BUFFER_POOL_SIZE.value(cnf),
                positiveInt(cnf, Opt.BACKUP_THREADS),
                milliseconds(cnf, Opt.LOG_COPY_INTERVAL),
                Opt.TMPDIR.value(cnf).map(v -> Path.of(trimDir(v))),
                Opt.HISTORY_DIR.value(cnf).map(Path::of),
                ClusterHistoryTable.from(cnf),
                metricsDir(cnf),
                bytes(cnf, Opt.SST_SPACE_RESERVE),
                extractor(cnf),
                Opt.PLUGIN_DIR.value(cnf).map(Path::of),
                cnf.matching(OptionFiles.SERVER, n -> n.contains("key-management-")),
                role == Role.DONOR ? extraPort(cnf, notices) : Optional.empty(),
                ServerFiles.from(cnf),
                tls,
                streamEncryption,
                stream,
                hooks,
                List.copyOf(notices),
                List.copyOf(warnings));
    }

    /**
     * The donor's own stall rule must not fail a stream it slows down itself: with an rlimit
     * under twice sst-min-rate, the minimum becomes half the limit (the stream's bytes before
     * compression never run slower than the limit's after it).
     */
    private static long minRate(long configured, long rateLimit, List<String> warnings) {
        if (rateLimit > 0 && configured > rateLimit / 2) {
            warnings.add("[sst] sst-min-rate (" + configured + " bytes/s) is lowered to " + rateLimit / 2
                    + " bytes/s, half of [sst] rlimit, so that the rate limit does not count as a stall");
            return rateLimit / 2;
        }
        return configured;
    }

    /** The stall rule of every stream: {@code sst-idle-timeout} and {@code sst-min-rate} over that window. */
    public Copier.Stall stall() {
        return new Copier.Stall(idleTimeout, minRate, Opt.SST_IDLE_TIMEOUT.named(), Opt.SST_MIN_RATE.named());
    }

    private static void refuseUnimplemented(OptionFiles cnf, Role role, List<StockLine.Printed> notices) {
        String streamfmt = Opt.STREAMFMT.valueOrDefault(cnf);
        if (!streamfmt.equals("mbstream") && !streamfmt.equals("xbstream")) {
            throw invalid(Opt.STREAMFMT.named(), streamfmt, "mariadb-backup streams only mbstream (xbstream is the same);"
                    + " the stock script would try tar and its backup would fail");
        }
        if (Opt.SST_SPECIAL_DIRS.valueOrDefault(cnf).equals("0")) {
            notices.add(StockLine.SPECIAL_DIRS.with());
        }
    }

    /**
     * use-extra=1 on a donor whose server runs a thread pool: the backup connects over the
     * extra port (stock; without an extra port the stock script exits 1, as we do).
     */
    private static Optional<Integer> extraPort(OptionFiles cnf, List<StockLine.Printed> notices) {
        if (!Opt.USE_EXTRA.valueOrDefault(cnf).equals("1")) {
            return Optional.empty();
        }
        if (!"pool-of-threads".equals(Opt.THREAD_HANDLING.value(cnf).orElse(null))) {
            notices.add(StockLine.THREAD_POOL_NOT_SET.with());
            return Optional.empty();
        }
        String port = Opt.EXTRA_PORT.value(cnf).orElseThrow(() -> StockLine.EXTRA_PORT_NULL.failure(ExitCode.GENERIC,
                ": [sst] use-extra=1 with thread-handling=pool-of-threads needs extra-port", ""));
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw invalid(Opt.EXTRA_PORT.named(), port, "expected a port from 1 to 65535");
        }
        return Optional.of(Integer.parseInt(port));
    }

    private static boolean extractor(OptionFiles cnf) {
        String v = Opt.SST_EXTRACTOR.valueOrDefault(cnf);
        if (!v.equals("builtin") && !v.equals("mbstream")) {
            throw invalid(Opt.SST_EXTRACTOR.named(), v, "expected builtin or mbstream");
        }
        return v.equals("builtin");
    }

    /** Only the integer 1 archives, as in the stock script ("on" does not). */
    private static boolean logArchive(OptionFiles cnf, List<String> warnings) {
        String v = Opt.SST_LOG_ARCHIVE.valueOrDefault(cnf);
        if (!v.matches("-?[0-9]+")) {
            warnings.add("[sst] sst-log-archive = '" + v + "' is not an integer: the previous logs are not archived"
                    + " (only 1 archives them, as with the stock script)");
        }
        return v.equals("1");
    }

    static Pattern keepPattern(String cpat) {
        // The stock script hands cpat to find -regex (emacs syntax): \| is alternation, \( \) group.
        String java = cpat.replace("\\|", "|").replace("\\(", "(").replace("\\)", ")");
        try {
            return Pattern.compile(java);
        } catch (PatternSyntaxException e) {
            throw invalid(Opt.CPAT.named(), cpat, "it is not a valid regular expression: " + e.getDescription());
        }
    }

    /**
     * The metrics directory must be absolute: the SST runs from whatever directory mysqld has, so
     * a relative one would land somewhere no collector looks.
     */
    private static Optional<Path> metricsDir(OptionFiles cnf) {
        Optional<String> v = Opt.METRICS_DIR.value(cnf);
        if (v.isPresent() && (!v.get().startsWith("/") || v.get().indexOf('\0') >= 0)) {
            throw invalid(Opt.METRICS_DIR.named(), v.get(), "expected an absolute directory, such as"
                    + " /var/lib/prometheus/node-exporter");
        }
        return v.map(d -> Path.of(trimDir(d)));
    }

    private static Duration seconds(OptionFiles cnf, Opt o) {
        String v = o.valueOrDefault(cnf);
        try {
            long s = Long.parseLong(v.trim());
            if (s < 0 || s > 86_400 * 7) {
                throw invalid(o.named(), v, "expected seconds from 0 to 604800");
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw invalid(o.named(), v, "expected a whole number of seconds");
        }
    }

    /** A size in bytes, with an optional K, M or G (powers of 1024) as my.cnf sizes are written. */
    private static long bytes(OptionFiles cnf, Opt o) {
        String v = o.valueOrDefault(cnf).trim();
        Matcher m = Pattern.compile("(\\d{1,15})([KkMmGg]?)").matcher(v);
        if (!m.matches()) {
            throw invalid(o.named(), v, "expected a size in bytes, optionally with K, M or G");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    /** A whole number of milliseconds, 1 to 60000 (0 would have mariadb-backup poll its redo log without pause). */
    private static Optional<Integer> milliseconds(OptionFiles cnf, Opt o) {
        return wholeNumber(cnf, o, 60_000, "expected milliseconds from 1 to 60000", "expected a whole number of milliseconds");
    }

    private static Optional<Integer> positiveInt(OptionFiles cnf, Opt o) {
        return wholeNumber(cnf, o, 1024, "expected a thread count from 1 to 1024", "expected a whole number");
    }

    /** The option as a whole number from 1 to {@code max}; out of range or not a number, 22 with those words. */
    private static Optional<Integer> wholeNumber(OptionFiles cnf, Opt o, int max, String outOfRange, String notANumber) {
        Optional<String> v = o.value(cnf);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < 1 || n > max) {
                throw invalid(o.key(), v.get(), outOfRange);
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw invalid(o.key(), v.get(), notANumber);
        }
    }

    /** The stock script's trim_dir: surrounding blanks and trailing slashes go (a path of slashes alone stays). */
    public static String trimDir(String v) {
        String s = v.strip();
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static SstException invalid(String setting, String value, String why) {
        return new SstException(ExitCode.EINVAL, setting + " = '" + value + "' is invalid: " + why);
    }

    private static SstException notYet(String setting, String value, String remedy) {
        return new SstException(ExitCode.EINVAL, setting + " = '" + value
                + "' is not implemented by mariabackup_sm yet and would be ignored; " + remedy);
    }
}
