package org.sstorchestrator.harness;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The benchmark's tables (one per size, then a summary and the fits) and its JSON. */
final class BenchReport {

    private static final String NO_SLEEP = NoSleepScript.METHOD;
    /** The target for each of our SST JVMs (issue 11). */
    private static final long RSS_TARGET_MB = 256;

    private final BenchOptions options;
    private final List<Round> rounds = new ArrayList<>();
    private StartupTimeline timeline;
    private CheckpointTiming checkpoints;

    BenchReport(BenchOptions options) {
        this.options = options;
    }

    void add(Round round) {
        rounds.add(round);
    }

    void checkpoints(CheckpointTiming c) {
        checkpoints = c;
    }

    void timeline(StartupTimeline t) {
        timeline = t;
    }

    void printRound(PrintStream out, Round r) {
        out.printf(Locale.ROOT, "round %d  %-20s %8.1f s  checksum equal  cpu joiner %.1f s, donor %.1f s%s%n",
                r.round(), r.method(), r.seconds(), r.cpuJoinerSeconds(), r.cpuDonorSeconds(),
                r.rssJoinerKb() == null ? "" : String.format(Locale.ROOT, "  peak RSS joiner %d MB, donor %d MB",
                        r.rssJoinerKb() / 1024, r.rssDonorKb() / 1024));
    }

    void printTimeline(PrintStream out) {
        out.println();
        out.println("== start-up timeline of our first SST (t=0: the benchmark starts the joiner's mariadbd)");
        timeline.print(out);
    }

    void printSize(PrintStream out, BenchOptions.Size size) {
        SizeSummary s = SizeSummary.of(size, options.methods(), rounds);
        out.println();
        out.printf(Locale.ROOT, "== %s: sbtest/t.ibd %.1f MB, %d round(s); joiner start -> Synced%n", size.label(),
                s.tableBytes() / Round.MB, options.rounds());
        out.printf("%-20s %8s %17s %8s %10s %12s %12s%n", "method", "median s", "range s", "data s", "data MB/s",
                "cpu J s/GB", "cpu D s/GB");
        for (SizeSummary.Method m : s.methods()) {
            out.printf(Locale.ROOT, "%-20s %8.1f %17s %8s %10s %12s %12s%n", m.method(), m.medianSeconds(),
                    String.format(Locale.ROOT, "%.1f-%.1f", m.minSeconds(), m.maxSeconds()), num(m.dataSeconds(), 1),
                    num(m.dataMbPerSecond(), 0), num(m.cpuJoinerPerGb(), 1), num(m.cpuDonorPerGb(), 1));
        }
        out.printf(Locale.ROOT, "ours/stock %s   ours/no-sleep %s   (medians)%n",
                num(s.oursOver(BenchOptions.STOCK).orElse(null), 2), num(s.oursOver(NO_SLEEP).orElse(null), 2));
        s.method(BenchOptions.OURS).ifPresent(o -> {
            out.printf(Locale.ROOT, "ours' backup stream (joiner's history): %s MB/s%n", num(o.streamMbPerSecond(), 0));
            out.printf(Locale.ROOT, "peak RSS of our SST JVMs: joiner %s MB, donor %s MB (target < %d MB each)%n",
                    mb(o.rssJoinerKb()), mb(o.rssDonorKb()), RSS_TARGET_MB);
        });
        out.println("data s: ours = its joiner's backup transfer (history); stock = both ends ready to the joiner's"
                + " 'Preparing the backup' (log lines, see StockDataStage).");
        out.println("data MB/s = t.ibd / data s. cpu = CPU of each side's SST process tree, per GB of t.ibd.");
    }

    void printSummary(PrintStream out) {
        out.println();
        out.println("== summary (medians; RSS = peak)");
        out.printf("%-6s %9s %-20s %8s %8s %10s %12s %12s %9s %9s%n", "size", "t.ibd MB", "method", "s", "data s",
                "data MB/s", "cpu J s/GB", "cpu D s/GB", "rss J MB", "rss D MB");
        for (BenchOptions.Size size : options.sizes()) {
            SizeSummary s = SizeSummary.of(size, options.methods(), rounds);
            for (SizeSummary.Method m : s.methods()) {
                out.printf(Locale.ROOT, "%-6s %9.1f %-20s %8.1f %8s %10s %12s %12s %9s %9s%n", size.label(),
                        s.tableBytes() / Round.MB, m.method(), m.medianSeconds(), num(m.dataSeconds(), 1),
                        num(m.dataMbPerSecond(), 0), num(m.cpuJoinerPerGb(), 1), num(m.cpuDonorPerGb(), 1),
                        mb(m.rssJoinerKb()), mb(m.rssDonorKb()));
            }
        }
        out.println();
        out.println("== fit over every round: joiner start -> Synced = fixed + per GB x size (t.ibd)");
        for (String method : options.methods()) {
            out.printf(Locale.ROOT, "%-20s %s%n", method, fit(method).map(f -> String.format(Locale.ROOT,
                    "fixed %.1f s + %.1f s/GB (~ %s MB/s end to end)", f.fixedSeconds(), f.secondsPerGb(),
                    num(f.megabytesPerSecond(), 0))).orElse("n/a (needs rounds at two sizes or more)"));
        }
        if (checkpoints != null) {
            out.println();
            out.println(checkpoints.line());
        }
    }

    private Optional<Stats.Fit> fit(String method) {
        return Stats.Fit.of(rounds.stream().filter(r -> r.method().equals(method))
                .map(r -> new double[] {r.tableGb(), r.seconds()}).toList());
    }

    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("written_at", java.time.Instant.now().toString());
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("sizes", options.sizes().stream().map(BenchOptions.Size::label).toList());
        root.put("rounds_per_size", options.rounds());
        root.put("methods", options.methods());
        List<Object> raw = new ArrayList<>();
        for (Round r : rounds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", r.method());
            m.put("size", r.size().label());
            m.put("table_bytes", r.tableBytes());
            m.put("round", r.round());
            m.put("seconds", r.seconds());
            m.put("checksum_ok", r.checksumOk());
            m.put("cpu_joiner_s", r.cpuJoinerSeconds());
            m.put("cpu_donor_s", r.cpuDonorSeconds());
            m.put("cpu_joiner_s_per_gb", r.cpuJoinerPerGb());
            m.put("cpu_donor_s_per_gb", r.cpuDonorPerGb());
            m.put("data_seconds", r.dataSeconds());
            m.put("stream_bytes", r.streamBytes());
            m.put("rss_joiner_kb", r.rssJoinerKb());
            m.put("rss_donor_kb", r.rssDonorKb());
            raw.add(m);
        }
        root.put("rounds", raw);
        List<Object> perSize = new ArrayList<>();
        for (BenchOptions.Size size : options.sizes()) {
            SizeSummary s = SizeSummary.of(size, options.methods(), rounds);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("size", size.label());
            m.put("table_bytes", s.tableBytes());
            Map<String, Object> methods = new LinkedHashMap<>();
            for (SizeSummary.Method f : s.methods()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("median_s", f.medianSeconds());
                x.put("min_s", f.minSeconds());
                x.put("max_s", f.maxSeconds());
                x.put("data_median_s", f.dataSeconds());
                x.put("data_mb_per_s", f.dataMbPerSecond());
                x.put("stream_mb_per_s", f.streamMbPerSecond());
                x.put("cpu_joiner_s_per_gb", f.cpuJoinerPerGb());
                x.put("cpu_donor_s_per_gb", f.cpuDonorPerGb());
                x.put("rss_joiner_peak_kb", f.rssJoinerKb());
                x.put("rss_donor_peak_kb", f.rssDonorKb());
                methods.put(f.method(), x);
            }
            m.put("methods", methods);
            m.put("ours_over_stock", s.oursOver(BenchOptions.STOCK).orElse(null));
            m.put("ours_over_nosleep", s.oursOver(NO_SLEEP).orElse(null));
            perSize.add(m);
        }
        root.put("per_size", perSize);
        Map<String, Object> fits = new LinkedHashMap<>();
        for (String method : options.methods()) {
            fits.put(method, fit(method).map(f -> {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("fixed_s", f.fixedSeconds());
                x.put("s_per_gb", f.secondsPerGb());
                x.put("mb_per_s", f.megabytesPerSecond());
                return (Object) x;
            }).orElse(null));
        }
        root.put("fits", fits);
        root.put("startup_timeline", timeline == null ? null : timeline.json());
        root.put("checkpoint_commit", checkpoints == null ? null : checkpoints.json());
        return root;
    }

    private static String num(Double v, int decimals) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String mb(Long kb) {
        return kb == null ? "n/a" : Long.toString(kb / 1024);
    }
}
