package org.sstorchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterOutboxTest {

    private static final String TABLE = "sst_orchestrator.history";
    private static final String DONE = "00000000-0000-0000-0000-00000000000d";
    private static final String DIED = "00000000-0000-0000-0000-0000000000de";
    private static final String LIVE = "00000000-0000-0000-0000-00000000001e";

    @TempDir
    Path tmp;

    /** A pid no process has: its owner is gone. */
    private static final long GONE = Long.MAX_VALUE / 2;

    private static List<String> ids(List<RunDetail> runs) {
        return runs.stream().map(d -> d.summary().id()).toList();
    }

    private static void history(HistoryDatabase db) {
        H2RunJournal j = new H2RunJournal(db, () -> 10L);
        j.runStarted(new NewRun(DONE, "joiner", "/var/lib/mysql", null, GONE, null, "test", 1L));
        j.stageStarted(DONE, "prepare");
        j.stageCompleted(DONE, "prepare", "ok");
        j.runEnded(DONE, true, 0, null);
        j.runStarted(new NewRun(DIED, "joiner", "/var/lib/mysql", null, GONE, null, "test", 2L));
        j.stageStarted(DIED, "receive_stream");
        ProcessHandle self = ProcessHandle.current();
        j.runStarted(new NewRun(LIVE, "donor", "/var/lib/mysql", null, self.pid(), OwnerLiveness.startOf(self), "test", 3L));
    }

    @Test
    void endedAndInterruptedRunsWaitOldestFirstAndARunningOneWaitsForItsEnd() {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(tmp.resolve("h"))) {
            history(db);
            List<RunDetail> waiting = new ClusterOutbox(db, () -> 20L).pending(TABLE);
            assertEquals(List.of(DONE, DIED), ids(waiting));
            assertEquals("interrupted", waiting.get(1).summary().outcome());
        }
    }

    @Test
    void aPublishedRunWaitsNoMoreForThatTableButStillForAnother() {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(tmp.resolve("h"))) {
            history(db);
            ClusterOutbox outbox = new ClusterOutbox(db, () -> 20L);
            outbox.published(DONE, TABLE, "completed");
            outbox.published(DIED, TABLE, "interrupted");
            assertEquals(List.of(), ids(outbox.pending(TABLE)), "publishing twice finds nothing to write");
            assertEquals(List.of(DONE, DIED), ids(outbox.pending("other.history")));
        }
    }

    @Test
    void aRunPublishedAsInterruptedWaitsAgainOnceAResumeHasEndedIt() {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(tmp.resolve("h"))) {
            history(db);
            ClusterOutbox outbox = new ClusterOutbox(db, () -> 20L);
            outbox.published(DONE, TABLE, "completed");
            outbox.published(DIED, TABLE, "interrupted");
            new H2RunJournal(db, () -> 30L).runEnded(DIED, true, 0, null);
            List<RunDetail> waiting = outbox.pending(TABLE);
            assertEquals(List.of(DIED), ids(waiting));
            assertEquals("completed", waiting.get(0).summary().outcome());
        }
    }

    @Test
    void aFailedAttemptIsKeptUntilAPublicationFollowsIt() {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(tmp.resolve("h"))) {
            history(db);
            long[] now = {20L};
            ClusterOutbox outbox = new ClusterOutbox(db, () -> now[0]);
            outbox.failed(TABLE, DONE, "missing_grant", "INSERT command denied", 2);
            ClusterOutbox.Failure f = outbox.lastFailure(TABLE).orElseThrow();
            assertEquals("missing_grant", f.reason());
            assertEquals(2, f.pending());
            assertEquals(DONE, f.byRun());
            now[0] = 40L;
            outbox.published(DONE, TABLE, "completed");
            assertTrue(outbox.lastFailure(TABLE).isEmpty(), "a later success answers the failure");
        }
    }
}
