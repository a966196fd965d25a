package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;

/**
 * P5's "where space allows", against a real donor: the joiner keeps its old datadir until the
 * new one is prepared only when both fit. Short of room it wipes first (the stock order, as
 * its own recorded stage) and succeeds; when even the wipe would not make room it fails with
 * 28 before a byte is received and keeps its old data. Room is made short with
 * {@code [sst] sst-space-reserve} on the real filesystem.
 */
class DiskSpaceIT {

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("space", 5);

    private record Sst(DirectSst.Side joiner, DirectSst.Side donor) {
    }

    /** An SST into a joiner whose filesystem has room for the donor's data only once the old data is gone. */
    private static Sst shortOfRoom(Path tmp, boolean oldData, Map<String, String> joinerEnv) throws Exception {
        List<String> sst = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        sst.addAll(DirectSst.roomOnlyAfterTheWipe(tmp, oldData));
        DirectSst.Side j = DirectSst.joiner(tmp, sst, joinerEnv);
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        return new Sst(j, DirectSst.donor(tmp, DONOR.node(), address, DirectSst.SHORT_TIMEOUTS, Map.of()));
    }

    @Test
    void aJoinerWithRoomOnlyOnceItsOldDataIsGoneWipesItFirstAndSucceeds(@TempDir Path tmp) throws Exception {
        Sst sst = shortOfRoom(tmp, true, Map.of());
        DirectSst.Side j = sst.joiner();
        DirectSst.Side d = sst.donor();
        assertEquals(0, d.exit(DirectSst.BOUND), d.err());
        assertEquals(0, j.exit(DirectSst.BOUND), j.err());

        List<String> events = events(j.history());
        assertEquals(List.of("check_versions:completed", "plan_space:started", "plan_space:completed:wipe_first",
                "wipe_early:started", "wipe_early:completed", "receive_stream:started"),
                events.subList(events.indexOf("check_versions:completed"), events.indexOf("receive_stream:started") + 1));
        assertTrue(j.err().contains("wiping the old data before the stream"), j.err());
        assertTrue(Files.isRegularFile(tmp.resolve("data/sbtest/t.ibd")), "the donor's table is in place");
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void aJoinerWithoutRoomEvenAfterTheWipeFailsWith28BeforeTheStreamAndKeepsItsOldData(@TempDir Path tmp)
            throws Exception {
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("old_table.ibd");
        Files.writeString(old, "a table of the old datadir");
        Sst sst = shortOfRoom(tmp, false, Map.of());
        DirectSst.Side j = sst.joiner();
        DirectSst.Side d = sst.donor();
        assertEquals(28, j.exit(DirectSst.BOUND), j.err());
        assertEquals(32, d.exit(DirectSst.BOUND), "the donor ends when its joiner does not take the stream:\n" + d.err());

        String error = j.err().lines().filter(l -> l.contains("[ERROR]")).findFirst().orElse("");
        assertTrue(error.contains("MB are free over [sst] sst-space-reserve=") && error.contains("lower sst-space-reserve"),
                error);
        assertTrue(j.lines().stream().allMatch(l -> l.startsWith("ready ")), "no position: " + j.lines());
        try (HistoryDatabase db = HistoryDatabase.openForReading(j.history())) {
            RunSummary r = new HistoryQueries(db).history(null, 1).get(0);
            assertEquals("plan_space", r.lastStage());
            assertEquals(28, r.exitCode());
            assertTrue(r.bytes() < 4096, "only transfer 1 (the info file) was received, not the backup: " + r.bytes());
        }
        assertTrue(Files.exists(old), "the old data is untouched");
        assertFalse(Files.exists(tmp.resolve("data/.sst/ibdata1")), "no partial copy");
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void aFailureInTheEarlyWipeEndsTheRunFailedThroughAbortWithoutAPosition(@TempDir Path tmp) throws Exception {
        Sst sst = shortOfRoom(tmp, true, Map.of("SST_FAULT", "wipe_early.started:fail"));
        DirectSst.Side j = sst.joiner();
        DirectSst.Side d = sst.donor();
        assertEquals(1, j.exit(DirectSst.BOUND), j.err());
        assertEquals(32, d.exit(DirectSst.BOUND), d.err());
        List<String> events = events(j.history());
        assertEquals(List.of("wipe_early:started", "wipe_early:failed", "abort:started", "abort:completed"),
                events.subList(events.size() - 4, events.size()));
        assertTrue(j.lines().stream().allMatch(l -> l.startsWith("ready ")), "no position: " + j.lines());
        TransitionLedger.record(getClass(), tmp);
    }

    private static List<String> events(Path history) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            HistoryQueries q = new HistoryQueries(db);
            return q.stageEvents(q.history(null, 1).get(0).id());
        }
    }
}
