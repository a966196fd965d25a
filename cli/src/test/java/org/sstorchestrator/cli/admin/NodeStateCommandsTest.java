package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.cli.live.LiveStatus;
import org.sstorchestrator.cli.live.NodeMetrics;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.states.layout.SstFiles;

/**
 * What sst-admin says of the node's SST state (issue 22) on fixture histories: status --probe,
 * doctor --bootstrap-check, and cleanup of a run killed outright (its status, its metrics). The
 * same commands after real SSTs are in WatchdogIT.
 */
class NodeStateCommandsTest {

    private static final String KILLED = "11111111-1111-4111-8111-111111111111";
    private static final String DONE = "22222222-2222-4222-8222-222222222222";

    @TempDir
    Path tmp;
    private Path history;
    private Path datadir;
    private Path metrics;

    @BeforeEach
    void aNode() throws Exception {
        history = tmp.resolve("history");
        datadir = Files.createDirectories(tmp.resolve("data"));
        metrics = Files.createDirectories(tmp.resolve("node-exporter"));
    }

    private String[] admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** A joiner killed at move_back, after the wipe: no end, its process (pid 1, another start) gone. */
    private void killedAfterTheWipe() {
        long[] now = {1_763_683_200_000L};
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            H2RunJournal j = new H2RunJournal(db, () -> now[0] += 1000);
            j.runStarted(new NewRun(KILLED, "joiner", datadir.toString(), null, 1, 42L, "0.1.0", now[0]));
            j.attribute(KILLED, "metrics_dir", metrics.toString());
            for (String s : new String[] {"preflight", "listen", "receive_magic", "check_versions", "plan_space",
                "receive_stream", "decompress", "prepare", "wipe_datadir", "drop_binlogs"}) {
                j.stageStarted(KILLED, s);
                j.stageCompleted(KILLED, s, "ok");
            }
            j.stageStarted(KILLED, "move_back");
        }
    }

    private void thenOneThatCompleted() {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            H2RunJournal j = new H2RunJournal(db, System::currentTimeMillis);
            j.runStarted(new NewRun(DONE, "joiner", datadir.toString(), null, 1, 42L, "0.1.0", System.currentTimeMillis()));
            j.stageStarted(DONE, "report_position");
            j.stageCompleted(DONE, "report_position", "ok");
            j.runEnded(DONE, true, 0, null);
        }
    }

    @Test
    void theProbeSaysNoneWhenNothingRunsAndStaleWhenARunWasKilledAndInvalidUsageIsNotTwo() throws Exception {
        String[] none = admin("status", "--probe", "--datadir", datadir.toString(), "--history-dir", history.toString());
        assertEquals("1", none[0], none[2]);
        assertEquals("no SST is running on " + datadir + "\n", none[1]);

        Files.writeString(datadir.resolve(SstFiles.STATUS), new LiveStatus(KILLED, "joiner", "move_back", 1, 0, null, 0,
                null, false, 1, 1, 42L, 1, 1).toJson());
        String[] stale = admin("status", "--probe", "--datadir", datadir.toString(), "--history-dir", history.toString());
        assertEquals("2", stale[0], stale[2]);
        assertTrue(stale[1].startsWith("stale: run 11111111 (joiner, at move_back) is not running any more"), stale[1]);
        String[] json = admin("status", "--json", "--datadir", datadir.toString(), "--history-dir", history.toString());
        assertEquals("0", json[0], "without --probe the code is not the answer");
        assertTrue(json[1].startsWith("{\"verdict\": \"stale\", \"code\": 2, ") && json[1].contains("\"stage\": \"move_back\""),
                json[1]);

        assertEquals("64", admin("status", "--probe", "--stuck-after", "0", "--datadir", datadir.toString(), "--history-dir",
                history.toString())[0]);
        assertEquals("64", admin("status", "--no-such-option")[0], "2 means stuck to a probe");
    }

    @Test
    void theBootstrapCheckFailsAfterAJoinerStoppedPastTheWipeAndPassesOnceOneCompleted() throws Exception {
        killedAfterTheWipe();
        SstFiles.markUnsafeToBootstrap(datadir);

        String[] bad = admin("doctor", "--bootstrap-check", "--history-dir", history.toString(), "--datadir", datadir.toString());

        assertEquals("1", bad[0], bad[1] + bad[2]);
        assertTrue(bad[1].startsWith("FAIL  safe to bootstrap from ") && bad[1].contains(" the last joiner run 11111111 is"
                + " interrupted at move_back, the wipe had begun: the data here is partial; grastate.dat: seqno -1,"
                + " safe_to_bootstrap 0\n"), bad[1]);
        assertTrue(bad[1].contains("remedy: never bootstrap a cluster from this node"), bad[1]);

        thenOneThatCompleted();
        String[] good = admin("doctor", "--bootstrap-check", "--history-dir", history.toString(), "--datadir",
                datadir.toString(), "--json");
        assertEquals("0", good[0], good[1] + good[2]);
        assertTrue(good[1].contains("\"pass\": true") && good[1].contains("the last joiner run 22222222 completed"), good[1]);
    }

    @Test
    void cleanupOfARunKilledOutrightRemovesItsStatusAndMarkerAndCorrectsTheMetrics() throws Exception {
        killedAfterTheWipe();
        Files.writeString(datadir.resolve(SstFiles.IN_PROGRESS), KILLED + "\n");
        Files.writeString(datadir.resolve(SstFiles.STATUS), new LiveStatus(KILLED, "joiner", "move_back", 1, 0, null, 0,
                null, false, 1, 1, 42L, 1, 1).toJson());
        Files.writeString(metrics.resolve(NodeMetrics.FILE), "galera_sst_in_progress{role=\"joiner\"} 1.0\n");

        String[] clean = admin("cleanup", KILLED, "--history-dir", history.toString());

        assertEquals("0", clean[0], clean[1] + clean[2]);
        assertFalse(Files.exists(datadir.resolve(SstFiles.STATUS)), clean[1]);
        assertFalse(Files.exists(datadir.resolve(SstFiles.IN_PROGRESS)), clean[1]);
        String m = Files.readString(metrics.resolve(NodeMetrics.FILE));
        assertTrue(m.contains("galera_sst_in_progress{role=\"joiner\"} 0.0"), m);
        assertTrue(m.contains("galera_sst_runs_total{outcome=\"interrupted\",role=\"joiner\"} 1.0"), m);
        assertTrue(clean[1].contains("Rewrote " + metrics.resolve(NodeMetrics.FILE)), clean[1]);
        assertEquals("1", admin("status", "--probe", "--datadir", datadir.toString(), "--history-dir", history.toString())[0]);
    }
}
