package org.sstorchestrator.states.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;

/**
 * The stream options of issue 10, read once for one role as the stock script reads them:
 * {@code compressor} (donor) and {@code decompressor} (joiner), {@code rlimit} (donor),
 * {@code progress}, {@code sockopt}, {@code compress} with its threads and chunk size (donor:
 * mariadb-backup's qpress), and {@code transferfmt}. The other role's options are not read,
 * as the stock script does not read them.
 */
public record StreamOptions(
        Optional<CompressionCommand> compressor,
        Optional<CompressionCommand> decompressor,
        /* bytes per second on the donor's backup stream, after compression; 0: no limit */
        long rateLimit,
        /* rlimit as written in my.cnf ("119m"), for the stock line that names it */
        String rateLimitSetting,
        Progress progress,
        SockOpts sockOpts,
        /* donor: --compress[=v], --compress-threads, --compress-chunk-size for mariadb-backup --backup */
        List<String> backupCompression,
        boolean netcat) {

    /** {@code [sst] progress}: nothing, pv-like lines on stderr (1), or appended to a file or FIFO. */
    public record Progress(Kind kind, String path) {

        public enum Kind { NONE, STDERR, FILE }

        public static final Progress NONE = new Progress(Kind.NONE, null);
    }

    public static StreamOptions none() {
        return new StreamOptions(Optional.empty(), Optional.empty(), 0, "", Progress.NONE, SockOpts.none(), List.of(),
                false);
    }

    public static StreamOptions from(OptionFiles cnf, Role role, List<String> warnings) {
        boolean donor = role == Role.DONOR;
        Optional<CompressionCommand> compressor = donor ? Opt.COMPRESSOR.value(cnf).map(v -> CompressionCommand.parse(
                Opt.COMPRESSOR.named(), v, CompressionCommand.Direction.COMPRESS)) : Optional.empty();
        Optional<CompressionCommand> decompressor = donor ? Optional.empty() : Opt.DECOMPRESSOR.value(cnf).map(v ->
                CompressionCommand.parse(Opt.DECOMPRESSOR.named(), v, CompressionCommand.Direction.DECOMPRESS));
        long rate = donor ? Opt.RLIMIT.value(cnf).map(v -> rate(Opt.RLIMIT.named(), v)).orElse(0L) : 0;
        Progress progress = progress(Opt.PROGRESS.value(cnf).orElse(null));
        if (rate > 0 && progress.kind() == Progress.Kind.NONE && "none".equals(Opt.PROGRESS.value(cnf).orElse(null))) {
            // the stock script drops rlimit with progress=none (both are pv); we keep the limit asked for
            warnings.add("[sst] rlimit is honoured although progress=none (the stock script would not limit the rate)");
        }
        String transfer = Opt.TRANSFERFMT.valueOrDefault(cnf);
        boolean netcat = transfer.equals("nc");
        SockOpts sockOpts = SockOpts.none();
        Optional<String> sockopt = Opt.SOCKOPT.value(cnf);
        if (sockopt.isPresent() && netcat) {
            // as the stock script: netcat takes no socat options
            warnings.add("[sst] sockopt is not used with transferfmt=nc, as with the stock script: '" + sockopt.get() + "'");
        } else if (sockopt.isPresent()) {
            sockOpts = SockOpts.parse(Opt.SOCKOPT.named(), sockopt.get());
        }
        return new StreamOptions(compressor, decompressor, rate, donor ? Opt.RLIMIT.value(cnf).orElse("") : "", progress,
                sockOpts,
                donor ? backupCompression(cnf) : List.of(), netcat);
    }

    /**
     * pv's {@code -L} syntax, as pv 1.6 reads it: a whole number of bytes per second with an
     * optional k, m, g or t (powers of 1024, either case); 0 is no limit. pv refuses anything
     * else ("integer argument expected"), and so do we, at once.
     */
    static long rate(String setting, String value) {
        Matcher m = Pattern.compile("([0-9]{1,15})([kKmMgGtT]?)").matcher(value.strip());
        if (!m.matches()) {
            throw new SstException(ExitCode.EINVAL, setting + " = '" + value + "' is invalid: expected bytes per second as"
                    + " pv -L reads them: a whole number with an optional k, m, g or t (powers of 1024), e.g. 80m");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new SstException(ExitCode.EINVAL, setting + " = '" + value + "' is invalid: too large");
        }
        return n << shift;
    }

    /**
     * As the stock script: unset or {@code none}, nothing; {@code 1}, stderr (mysqld's error log);
     * anything else is a path, appended to when it exists (a FIFO too) and created when not.
     */
    static Progress progress(String value) {
        if (value == null || value.equals("none")) {
            return Progress.NONE;
        }
        if (value.equals("1")) {
            return new Progress(Progress.Kind.STDERR, null);
        }
        return new Progress(Progress.Kind.FILE, value);
    }

    /** The donor's mariadb-backup options for qpress, as the stock script adds them. */
    private static List<String> backupCompression(OptionFiles cnf) {
        String compress = Opt.COMPRESS.valueOrDefault(cnf);
        if (compress.equals("none")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Opt.COMPRESS_CHUNK_SIZE.value(cnf).ifPresent(v -> out.add("--compress-chunk-size=" + v));
        Opt.COMPRESS_THREADS.value(cnf).ifPresent(v -> out.add("--compress-threads=" + v));
        // a bare "compress" (no value) reads as set-but-empty and so as unset: only a value turns it on
        out.add("--compress=" + compress);
        return List.copyOf(out);
    }
}
