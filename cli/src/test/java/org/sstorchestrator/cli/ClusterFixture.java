package org.sstorchestrator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;

/** Helpers shared by the integration tests that run real Galera clusters. */
final class ClusterFixture {

    private ClusterFixture() {
    }

    static Path appBin() {
        return Path.of(System.getProperty("app.home", "..")).resolve("bin").toAbsolutePath().normalize();
    }

    static LocalCluster newCluster(String name) throws IOException {
        return newCluster(name, "127.0.0.1");
    }

    /** A cluster whose every listener is on {@code host} ({@code ::1} for IPv6). */
    static LocalCluster newCluster(String name, String host) throws IOException {
        Path home = Files.createTempDirectory("sst-it-" + name + "-");
        return new LocalCluster(home, appBin(), host);
    }

    /**
     * The end of a cluster IT: stops the nodes, adds the transitions their runs took to the
     * ledger, and deletes the cluster's directory (a run of the suite left gigabytes of datadirs
     * in /tmp otherwise); {@code -Dkeep.it.dirs=true} keeps it for a post-mortem.
     */
    static void finish(Class<?> it, LocalCluster cluster) throws Exception {
        cluster.close();
        TransitionLedger.record(it, cluster.home());
        if (!Boolean.getBoolean("keep.it.dirs")) {
            org.sstorchestrator.states.layout.FileTree.delete(cluster.home());
        }
    }

    static List<RunSummary> history(GaleraNode node) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(node.historyDir())) {
            return new HistoryQueries(db).history(null, 100);
        }
    }

    /** The node's newest run once it is no longer running (bounded wait). */
    static RunSummary awaitEnd(GaleraNode node, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RunSummary r = history(node).get(0);
        while (r.outcome().equals("running") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = history(node).get(0);
        }
        return r;
    }

    /**
     * For a join that must fail: waits for the node's SST run to end (bounded), then for
     * mariadbd to give up. mariadbd 10.11 sometimes hangs in its own abort after a failed SST
     * ("restart required", then nothing); that is not what these tests judge, so it is killed.
     */
    static RunSummary awaitFailedJoin(GaleraNode node, java.time.Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(node.historyDir().resolve("history.mv.db")) || history(node).isEmpty()
                || history(node).get(0).outcome().equals("running")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node.name() + ": its SST run did not end within " + timeout + "\n"
                        + errorLogTail(node));
            }
            Thread.sleep(200);
        }
        if (!node.awaitExit(java.time.Duration.ofSeconds(30))) {
            node.kill();
        }
        return history(node).get(0);
    }

    static List<String> events(GaleraNode node, String runId) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(node.historyDir())) {
            return new HistoryQueries(db).stageEvents(runId);
        }
    }

    /** The argv (joined by spaces, as recorded) of every child process a run started. */
    static List<String> children(GaleraNode node, String runId) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(node.historyDir())) {
            return new HistoryQueries(db).detail(runId).children().stream().map(c -> c.argv()).toList();
        }
    }

    /**
     * What a clean run of {@code machine} records, derived from its table: every stage ends ok
     * except those named as {@code stage:outcome} (say, "receive_magic:ist").
     */
    static List<String> cleanRun(org.sstorchestrator.engine.Machine<?> machine, String... detours) {
        java.util.Map<String, String> outcomes = new java.util.HashMap<>();
        for (String d : detours) {
            String[] p = d.split(":", 2);
            outcomes.put(p[0], p[1]);
        }
        return cleanRun(machine.table().path(outcomes).stream()
                .map(s -> outcomes.containsKey(s) ? s + ":" + outcomes.get(s) : s).toArray(String[]::new));
    }

    /** started/completed pairs for each stage, in order: what a clean run of a path records. */
    static List<String> cleanRun(String... stages) {
        List<String> out = new java.util.ArrayList<>();
        for (String s : stages) {
            if (s.contains(":")) {
                String[] p = s.split(":", 2);
                out.add(p[0] + ":started");
                out.add(p[0] + ":completed:" + p[1]);
            } else {
                out.add(s + ":started");
                out.add(s + ":completed");
            }
        }
        return out;
    }

    /**
     * Joins {@code joiner} from {@code donor} within {@code timeout} and checks it ends with the
     * donor's rows; a join that fails shows both error logs' tails. {@code what} (the direction,
     * the mode...) heads every failure message.
     */
    static void joinAndCompare(LocalCluster cluster, GaleraNode joiner, GaleraNode donor, java.time.Duration timeout,
                               Object what) throws Exception {
        try {
            cluster.join(joiner, timeout);
        } catch (IllegalStateException e) {
            throw new AssertionError(what + ": " + e.getMessage() + "\nJOINER:\n" + errorLogTail(joiner)
                    + "\nDONOR:\n" + errorLogTail(donor), e);
        }
        org.junit.jupiter.api.Assertions.assertEquals(LocalCluster.checksum(donor, "sbtest.t"),
                LocalCluster.checksum(joiner, "sbtest.t"), what + ": the joiner's rows are not the donor's");
    }

    static String errorLogTail(GaleraNode node) {
        try {
            List<String> lines = Files.readAllLines(node.errorLog());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no error log: " + e.getMessage() + ")";
        }
    }
}
