package org.sstorchestrator.states.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * The [sst] and related options (sst-interface.md §7), read once and typed. A value of the
 * wrong type is refused with the option's name and value (exit 22). An option this version
 * does not implement is refused when set, never silently ignored: an operator who asked for
 * compression or TLS must not get a cleartext, uncompressed SST instead (promise P8).
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
        /** {@code [sst] wsrep-sst-auth}: masked in this record's toString(), as every secret is. */
        Optional<org.sstorchestrator.states.Secret> auth,
        List<String> backupOptions,
        List<String> applyOptions,
        List<String> moveOptions,
        Optional<String> useMemory,
        Optional<Integer> backupThreads,
        Optional<Path> tmpdir,
        Optional<Path> historyDir,
        long spaceReserve,
        Optional<Path> pluginDir,
        java.util.Map<String, String> keyManagement,
        List<String> warnings) {

    /** The stock script's keep-list for the joiner's wipe (find -regex, whole path). */
    public static final String DEFAULT_CPAT = ".*\\.pem$\\|.*galera\\.cache$\\|.*sst_in_progress$\\|.*\\.sst$"
            + "\\|.*gvwstate\\.dat$\\|.*grastate\\.dat$\\|.*\\.err$\\|.*\\.log$\\|.*RPM_UPGRADE_MARKER$\\|.*RPM_UPGRADE_HISTORY$";

    private static final List<String> ENC_GROUPS = List.of("mysqld", "sst", "xtrabackup", "mariabackup");

    public static SstConfig from(OptionFiles cnf) {
        List<String> warnings = new ArrayList<>();
        refuseUnimplemented(cnf, warnings);
        String cpat = cnf.sst("cpat").orElse(DEFAULT_CPAT);
        return new SstConfig(
                seconds(cnf, "sst-initial-timeout", 300),
                seconds(cnf, "sst-idle-timeout", 300),
                seconds(cnf, "sst-connect-timeout", 30),
                bytes(cnf, "sst-min-rate", 1024),
                keepPattern(cpat),
                cpat,
                bool(cnf, "sst-log-archive", true),
                Path.of(cnf.sst("sst-log-archive-dir").filter(s -> !s.isBlank()).orElse("/tmp/sst_log_archive")),
                cnf.sst("wsrep-sst-auth").filter(s -> !s.isEmpty()).map(org.sstorchestrator.states.Secret::of),
                words(cnf.sst("inno-backup-opts")),
                words(cnf.sst("inno-apply-opts")),
                words(cnf.sst("inno-move-opts")),
                cnf.sst("use-memory").filter(s -> !s.isBlank()),
                positiveInt(cnf, ENC_GROUPS, "backup-threads"),
                cnf.get(ENC_GROUPS, "tmpdir").filter(s -> !s.isBlank()).map(Path::of),
                cnf.sst("history-dir").filter(s -> !s.isBlank()).map(Path::of),
                bytes(cnf, "sst-space-reserve", 0),
                cnf.mysqld("plugin-dir").filter(s -> !s.isBlank()).map(Path::of),
                cnf.matching("mysqld", n -> n.contains("key-management-")),
                List.copyOf(warnings));
    }

    private static void refuseUnimplemented(OptionFiles cnf, List<String> warnings) {
        String streamfmt = cnf.sst("streamfmt").orElse("mbstream");
        if (!streamfmt.equals("mbstream") && !streamfmt.equals("xbstream")) {
            throw invalid("[sst] streamfmt", streamfmt, "only mbstream (or its alias xbstream) is supported");
        }
        String transferfmt = cnf.sst("transferfmt").orElse("socat");
        if (!transferfmt.equals("socat") && !transferfmt.equals("nc")) {
            throw invalid("[sst] transferfmt", transferfmt, "expected socat or nc");
        }
        String progress = cnf.sst("progress").orElse("");
        if (!progress.isEmpty() && !progress.equals("none")) {
            throw notYet("[sst] progress", progress, "remove it or set it to none");
        }
        for (String name : List.of("sockopt", "rlimit", "compressor", "decompressor", "tca", "tcapath", "tcert", "tkey")) {
            Optional<String> v = cnf.sst(name).filter(s -> !s.isBlank());
            if (v.isPresent()) {
                throw notYet("[sst] " + name, v.get(), "remove it");
            }
        }
        for (String name : List.of("use-extra", "sst-syslog")) {
            String v = cnf.sst(name).orElse("0");
            if (!v.equals("0") && !v.isEmpty()) {
                throw notYet("[sst] " + name, v, "set it to 0");
            }
        }
        String special = cnf.sst("sst-special-dirs").orElse("1");
        if (!special.equals("1")) {
            throw invalid("[sst] sst-special-dirs", special, "only 1 is supported (as in the stock script)");
        }
        String encrypt = cnf.get(ENC_GROUPS, "encrypt").orElse("0");
        if (!encrypt.equals("0")) {
            throw notYet("encrypt", encrypt, "TLS and stream encryption come in a later version; set encrypt=0");
        }
        String mode = cnf.get(ENC_GROUPS, "ssl-mode").orElse("DISABLED").toUpperCase(Locale.ROOT);
        if (!List.of("DISABLED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY").contains(mode)) {
            throw invalid("ssl-mode", mode, "expected DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
        }
        if (!mode.equals("DISABLED")) {
            throw notYet("ssl-mode", mode, "TLS for SST comes in a later version; this version never falls back"
                    + " to cleartext, so remove ssl-mode from [sst] or set it to DISABLED");
        }
        String compress = cnf.get(ENC_GROUPS, "compress").orElse("none");
        if (!compress.equals("none")) {
            throw notYet("compress", compress, "remove it (qpress is not packaged on Debian 12)");
        }
        for (String name : List.of("encrypt-algo", "encrypt-key", "encrypt-key-file")) {
            if (cnf.get(ENC_GROUPS, name).filter(s -> !s.isBlank()).isPresent()) {
                warnings.add(name + " is set but encrypt=0, so the stream is not encrypted (as with the stock script)");
            }
        }
        String time = cnf.sst("time").orElse("0");
        if (!time.equals("0") && !time.equals("1")) {
            throw invalid("[sst] time", time, "expected 0 or 1");
        }
    }

    static Pattern keepPattern(String cpat) {
        // The stock script hands cpat to find -regex (emacs syntax): \| is alternation, \( \) group.
        String java = cpat.replace("\\|", "|").replace("\\(", "(").replace("\\)", ")");
        try {
            return Pattern.compile(java);
        } catch (PatternSyntaxException e) {
            throw invalid("[sst] cpat", cpat, "it is not a valid regular expression: " + e.getDescription());
        }
    }

    private static Duration seconds(OptionFiles cnf, String name, int dflt) {
        Optional<String> v = cnf.sst(name);
        if (v.isEmpty() || v.get().isBlank()) {
            return Duration.ofSeconds(dflt);
        }
        try {
            long s = Long.parseLong(v.get().trim());
            if (s < 0 || s > 86_400 * 7) {
                throw invalid("[sst] " + name, v.get(), "expected seconds from 0 to 604800");
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw invalid("[sst] " + name, v.get(), "expected a whole number of seconds");
        }
    }

    /** The stall rule of every stream: {@code sst-idle-timeout} and {@code sst-min-rate} over that window. */
    public org.sstorchestrator.states.wire.Copier.Stall stall() {
        return new org.sstorchestrator.states.wire.Copier.Stall(idleTimeout, minRate);
    }

    /** A size in bytes, with an optional K, M or G (powers of 1024) as my.cnf sizes are written. */
    private static long bytes(OptionFiles cnf, String name, long dflt) {
        Optional<String> v = cnf.sst(name).map(String::trim).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            return dflt;
        }
        java.util.regex.Matcher m = Pattern.compile("(\\d{1,15})([KkMmGg]?)").matcher(v.get());
        if (!m.matches()) {
            throw invalid("[sst] " + name, v.get(), "expected a size in bytes, optionally with K, M or G");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    private static boolean bool(OptionFiles cnf, String name, boolean dflt) {
        String v = cnf.sst(name).orElse(dflt ? "1" : "0").trim();
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "on", "true", "yes", "" -> true;
            case "0", "off", "false", "no" -> false;
            default -> throw invalid("[sst] " + name, v, "expected 0 or 1");
        };
    }

    private static Optional<Integer> positiveInt(OptionFiles cnf, List<String> groups, String name) {
        Optional<String> v = cnf.get(groups, name).filter(s -> !s.isBlank());
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < 1 || n > 1024) {
                throw invalid(name, v.get(), "expected a thread count from 1 to 1024");
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw invalid(name, v.get(), "expected a whole number");
        }
    }

    private static List<String> words(Optional<String> v) {
        return v.filter(s -> !s.isBlank()).map(s -> List.of(s.trim().split("\\s+"))).orElse(List.of());
    }

    private static SstException invalid(String setting, String value, String why) {
        return new SstException(ExitCode.EINVAL, setting + " = '" + value + "' is invalid: " + why);
    }

    private static SstException notYet(String setting, String value, String remedy) {
        return new SstException(ExitCode.EINVAL, setting + " = '" + value
                + "' is not implemented by mariabackup_sm yet and would be ignored; " + remedy);
    }
}
