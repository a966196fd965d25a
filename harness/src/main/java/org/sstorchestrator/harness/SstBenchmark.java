package org.sstorchestrator.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The SST benchmark (not a test): one donor, grown from size to size, and at each size rounds
 * of joiners with empty datadirs that alternate between the stock method, the stock method
 * without its fixed sleep, and ours, against the same donor in the same run, so machine noise
 * hits all alike; and all that under each profile ({@link BenchProfile}: the same [sst] lines
 * on every node). See {@link BenchOptions#USAGE}; the figures are described in
 * {@link BenchReport}.
 */
public final class SstBenchmark {

    private SstBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path appHome = Path.of(System.getProperty("app.home", ".")).toAbsolutePath().normalize();
        if (List.of(args).contains("--help")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, appHome.resolve("harness/target/sst-bench.json"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path home = Files.createTempDirectory("sst-bench-");
        boolean ok = false;
        try {
            run(options, appHome.resolve("bin"), home);
            ok = true;
        } finally {
            if (ok) {
                Trees.delete(home); // the donor's datadir: nothing in it is needed now
            } else {
                System.err.println("kept " + home + " for a post-mortem (the nodes' error logs are in it)");
            }
        }
    }

    private static void run(BenchOptions options, Path appBin, Path home) throws Exception {
        Path scratchBin = home.resolve("bin");
        if (options.methods().contains(NoSleepScript.METHOD)) {
            NoSleepScript.install(scratchBin);
        }
        if (options.baseline().isPresent()) {
            BaselineMethod.install(scratchBin, options.baseline().get());
        }
        List<BenchProfile.Setup> profiles = new ArrayList<>();
        for (BenchProfile p : options.profiles()) {
            profiles.add(p.setUp(home));
        }
        BenchReport report = new BenchReport(options, profiles);
        report.printProfiles(System.out);
        CheckpointTiming checkpoints = CheckpointTiming.measure(home, 200);
        report.checkpoints(checkpoints);
        System.out.println(checkpoints.line());
        try (LocalCluster cluster = new LocalCluster(home.resolve("cluster"), appBin, List.of(scratchBin))) {
            GaleraNode donor = cluster.addNode(BenchOptions.OURS, false, List.of());
            String donorCnf = Files.readString(donor.cnf());
            cluster.bootstrap(donor);
            JoinRound join = new JoinRound(cluster, donor, ChildCpu.open());
            System.out.println("methods " + options.methods() + ", " + options.rounds() + " round(s) per size and profile;"
                    + " work in " + home);
            for (BenchOptions.Size size : options.sizes()) {
                // only the difference to the last size is loaded: the donor keeps its rows
                LocalCluster.loadUpTo(donor, size.megabytes());
                LocalCluster.settle(donor, java.time.Duration.ofMinutes(3));
                long tableBytes = Files.size(LocalCluster.tableFile(donor));
                System.out.printf("%n== %s: the donor's sbtest/t.ibd is %.1f MB%n", size.label(), tableBytes / Round.MB);
                for (int r = 1; r <= options.rounds(); r++) {
                    // profiles take turns within a round too, so machine noise hits them alike
                    for (BenchProfile.Setup profile : profiles) {
                        configureDonor(donor, donorCnf, profile);
                        // each round starts with another method, so no method always follows the load or another's SST
                        List<String> order = new ArrayList<>(options.methods());
                        Collections.rotate(order, -(r - 1));
                        for (String method : order) {
                            boolean firstOfOurs = method.equals(BenchOptions.OURS) && r == 1
                                    && size.equals(options.sizes().get(0)) && profile.equals(profiles.get(0));
                            JoinRound.Result result = join.run(method, profile, size, tableBytes, r, firstOfOurs);
                            report.add(result.round());
                            report.printRound(System.out, result.round());
                            if (result.timeline() != null) {
                                report.timeline(result.timeline());
                                report.printTimeline(System.out);
                            }
                        }
                    }
                }
                for (BenchProfile.Setup profile : profiles) {
                    report.printSize(System.out, profile, size);
                }
                // after every size: a long run that fails later still leaves what it measured
                writeJson(options, report);
            }
        }
        report.printSummary(System.out);
        System.out.println();
        System.out.println("JSON: " + options.json());
    }

    /**
     * The donor is never restarted: both scripts read its my.cnf afresh at each SST (mariadbd
     * passes them --defaults-file), so the profile's lines, after its own [sst] group, take
     * effect at the next donation. The last profile's lines are replaced, not added to.
     */
    private static void configureDonor(GaleraNode donor, String baseCnf, BenchProfile.Setup profile)
            throws java.io.IOException {
        List<String> lines = new ArrayList<>(baseCnf.lines().toList());
        lines.addAll(profile.sstLines());
        Files.write(donor.cnf(), lines);
    }

    private static void writeJson(BenchOptions options, BenchReport report) throws java.io.IOException {
        Files.createDirectories(options.json().getParent());
        Files.writeString(options.json(), Json.write(BenchJson.of(report)));
    }
}
