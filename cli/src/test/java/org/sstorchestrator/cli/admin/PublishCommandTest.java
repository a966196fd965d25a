package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.ClusterOutbox;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;

/** sst-admin publish when it cannot publish (the real server's paths are in ClusterHistoryIT). */
class PublishCommandTest {

    private static final String RUN = "a1a1a1a1-0000-4000-8000-000000000001";

    @TempDir
    Path tmp;

    private String[] admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private Path cnf(String... sst) throws Exception {
        List<String> lines = new java.util.ArrayList<>(List.of("[mysqld]", "datadir=" + tmp.resolve("data"),
                "wsrep_sst_auth=sst:S3cr:t@$!x", "[client]", "socket=" + tmp.resolve("gone.sock"), "[sst]",
                "history-dir=" + tmp.resolve("history")));
        lines.addAll(List.of(sst));
        return Files.write(tmp.resolve("my.cnf"), lines);
    }

    @Test
    void withTheOptionUnsetItSaysTheFeatureIsOffAndHowToTurnItOn() throws Exception {
        String[] r = admin("publish", "--defaults-file", cnf().toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("the cluster history is off: [sst] cluster-history is not set"), r[2]);
    }

    @Test
    void aNodeNoSstRanOnHasNothingToPublish() throws Exception {
        String[] r = admin("publish", "--defaults-file", cnf("cluster-history=sst_orchestrator.history").toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("published 0 run(s) to sst_orchestrator.history; 0 waiting"), r[1]);
    }

    @Test
    void aServerThatIsGoneLeavesTheRunsWaitingAndTheReasonRecordedWithoutThePassword() throws Exception {
        Path cnf = cnf("cluster-history=sst_orchestrator.history");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(tmp.resolve("history"))) {
            H2RunJournal j = new H2RunJournal(db, () -> 1L);
            j.runStarted(new NewRun(RUN, "joiner", tmp.resolve("data").toString(), null, 1, 42L, "0.1.0", 1L));
            j.runEnded(RUN, true, 0, null);
        }
        String[] r = admin("publish", "--defaults-file", cnf.toString(), "--json");
        assertEquals("1", r[0], r[2]);
        assertTrue(r[1].contains("\"published\": 0, \"waiting\": 1, \"reason\": \"unreachable\""), r[1]);
        assertTrue(!r[1].contains("S3cr:t@$!x") && !r[2].contains("S3cr:t@$!x"), "no password in the output");
        try (HistoryDatabase db = HistoryDatabase.openForReading(tmp.resolve("history"))) {
            ClusterOutbox outbox = new ClusterOutbox(db, () -> 2L);
            assertEquals(1, outbox.pending("sst_orchestrator.history").size(), "the run still waits");
            assertEquals("unreachable", outbox.lastFailure("sst_orchestrator.history").orElseThrow().reason());
        }
        assertEquals("1", admin("publish", "--defaults-file", cnf.toString())[0], "and again, idempotent in failing too");
    }
}
