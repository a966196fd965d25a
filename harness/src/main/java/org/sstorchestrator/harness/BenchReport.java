package org.sstorchestrator.harness;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark's tables: one per profile and size, then a compact summary (one row per profile
 * and size), the fits per profile, and the checkpoint timing. Its JSON is {@link BenchJson}.
 */
final class BenchReport {

    static final String NO_SLEEP = NoSleepScript.METHOD;
    /** The target for each of our SST JVMs (issue 11). */
    private static final long RSS_TARGET_MB = 256;

    private final BenchOptions options;
    private final List<BenchProfile.Setup> profiles;
    private final List<Round> rounds = new ArrayList<>();
    private StartupTimeline timeline;
    private CheckpointTiming checkpoints;

    BenchReport(BenchOptions options, List<BenchProfile.Setup> profiles) {
        this.options = options;
        this.profiles = List.copyOf(profiles);
    }

    BenchOptions options() {
        return options;
    }

    List<BenchProfile.Setup> profiles() {
        return profiles;
    }

    List<Round> rounds() {
        return rounds;
    }

    StartupTimeline timeline() {
        return timeline;
    }

    CheckpointTiming checkpoints() {
        return checkpoints;
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

    SizeSummary summary(BenchProfile.Setup profile, BenchOptions.Size size) {
        return SizeSummary.of(profile.name(), size, options.methods(), rounds);
    }

    /** Which profiles run, what each means and the lines it gives every node. */
    void printProfiles(PrintStream out) {
        for (BenchProfile.Setup p : profiles) {
            out.printf("profile %-9s %s%n          [sst] %s%n", p.name(), p.profile().about(),
                    p.sstLines().isEmpty() ? "(none)" : String.join("  ", p.sstLines()));
        }
    }

    void printRound(PrintStream out, Round r) {
        out.printf(Locale.ROOT, "round %d  %-9s %-20s %8.1f s  checksum equal  cpu joiner %.1f s, donor %.1f s%s%s%n",
                r.round(), r.profile(), r.method(), r.seconds(), r.cpuJoinerSeconds(), r.cpuDonorSeconds(),
                r.rssJoinerKb() == null ? "" : String.format(Locale.ROOT, "  peak RSS joiner %d MB, donor %d MB",
                        r.rssJoinerKb() / 1024, r.rssDonorKb() / 1024),
                r.wireBytes() == null ? "" : String.format(Locale.ROOT, "  wire %.1f of %.1f MB",
                        r.wireBytes() / Round.MB, r.streamBytes() / Round.MB));
    }

    void printTimeline(PrintStream out) {
        out.println();
        out.println("== start-up timeline of our first SST (t=0: the benchmark starts the joiner's mariadbd)");
        timeline.print(out);
    }

    void printSize(PrintStream out, BenchProfile.Setup profile, BenchOptions.Size size) {
        SizeSummary s = summary(profile, size);
        out.println();
        out.printf(Locale.ROOT, "== %s, profile %s: sbtest/t.ibd %.1f MB, %d round(s); joiner start -> Synced%n",
                size.label(), profile.name(), s.tableBytes() / Round.MB, options.rounds());
        out.printf("   (%s)%n", profile.profile().about());
        out.printf("%-20s %8s %13s %7s %9s %11s %10s %10s %8s %8s%n", "method", "median s", "range s", "data s",
                "data MB/s", "stream MB/s", "cpu J s/GB", "cpu D s/GB", "rss J MB", "rss D MB");
        for (SizeSummary.Method m : s.methods()) {
            out.printf(Locale.ROOT, "%-20s %8.1f %13s %7s %9s %11s %10s %10s %8s %8s%n", m.method(), m.medianSeconds(),
                    String.format(Locale.ROOT, "%.1f-%.1f", m.minSeconds(), m.maxSeconds()), num(m.dataSeconds(), 1),
                    num(m.dataMbPerSecond(), 0), num(m.streamMbPerSecond(), 0), num(m.cpuJoinerPerGb(), 1),
                    num(m.cpuDonorPerGb(), 1), mb(m.rssJoinerKb()), mb(m.rssDonorKb()));
        }
        out.printf(Locale.ROOT, "ours/stock %s   ours/no-sleep %s   (medians)%n",
                num(s.oursOver(BenchOptions.STOCK).orElse(null), 2), num(s.oursOver(NO_SLEEP).orElse(null), 2));
        if (options.baseline().isPresent()) {
            out.printf(Locale.ROOT, "ours/base %s, data stage ours/base %s   (medians; base = %s)%n",
                    num(s.oursOver(BenchOptions.BASE).orElse(null), 2),
                    num(s.oursDataOver(BenchOptions.BASE).orElse(null), 2), options.baseline().get());
        }
        s.method(BenchOptions.OURS).ifPresent(o -> out.printf(Locale.ROOT, "ours' backup stream (joiner's history):"
                + " payload %s MB, on the wire %s MB (%s of the payload); stock: n/a, its pipeline counts no bytes%n",
                num(o.streamMb(), 1), num(o.wireMb(), 1), num(o.wireOverStream(), 2)));
        out.println("data s: ours = its joiner's backup transfer (history); stock = both ends ready to the joiner's"
                + " 'Preparing the backup' (log lines, see StockDataStage).");
        out.println("data MB/s = t.ibd / data s; stream MB/s = ours' payload / data s. cpu = CPU of each side's SST"
                + " process tree, per GB of t.ibd. rss = peak RSS of our SST JVMs (target < " + RSS_TARGET_MB
                + " MB each).");
    }

    void printSummary(PrintStream out) {
        out.println();
        out.println("== summary: joiner start -> Synced, median s per method, and ours over the other two");
        out.printf("%-9s %-6s %9s %8s %10s %8s %10s %13s%n", "profile", "size", "t.ibd MB", "stock s", "no-sleep s",
                "ours s", "ours/stock", "ours/no-sleep");
        for (BenchProfile.Setup p : profiles) {
            for (BenchOptions.Size size : options.sizes()) {
                SizeSummary s = summary(p, size);
                out.printf(Locale.ROOT, "%-9s %-6s %9.1f %8s %10s %8s %10s %13s%n", p.name(), size.label(),
                        s.tableBytes() / Round.MB, median(s, BenchOptions.STOCK), median(s, NO_SLEEP),
                        median(s, BenchOptions.OURS), num(s.oursOver(BenchOptions.STOCK).orElse(null), 2),
                        num(s.oursOver(NO_SLEEP).orElse(null), 2));
            }
        }
        profiles.forEach(p -> out.printf("%-9s %s%n", p.name() + ":", p.profile().about()));
        out.println();
        out.println("== fit per profile over every round: joiner start -> Synced = fixed + per GB x size (t.ibd)");
        for (BenchProfile.Setup p : profiles) {
            for (String method : options.methods()) {
                out.printf(Locale.ROOT, "%-9s %-20s %s%n", p.name(), method, fit(p, method).map(f -> String.format(
                        Locale.ROOT, "fixed %.1f s + %.1f s/GB (~ %s MB/s end to end)", f.fixedSeconds(),
                        f.secondsPerGb(), num(f.megabytesPerSecond(), 0)))
                        .orElse("n/a (needs rounds at two sizes or more)"));
            }
        }
        if (checkpoints != null) {
            out.println();
            out.println(checkpoints.line());
        }
    }

    Optional<Stats.Fit> fit(BenchProfile.Setup profile, String method) {
        return Stats.Fit.of(rounds.stream().filter(r -> r.method().equals(method) && r.profile().equals(profile.name()))
                .map(r -> new double[] {r.tableGb(), r.seconds()}).toList());
    }

    private static String median(SizeSummary s, String method) {
        return s.method(method).map(m -> num(m.medianSeconds(), 1)).orElse("n/a");
    }

    private static String num(Double v, int decimals) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String mb(Long kb) {
        return kb == null ? "n/a" : Long.toString(kb / 1024);
    }
}
