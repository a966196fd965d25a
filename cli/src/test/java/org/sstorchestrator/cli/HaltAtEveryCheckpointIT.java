package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.engine.FaultPoints;
import org.sstorchestrator.engine.Machine;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * Promise P4, at every checkpoint boundary of both roles: the SST process is halted like
 * {@code kill -9} just after a stage's {@code started} or {@code completed} was committed
 * ({@code SST_FAULT=<stage>.<started|completed>:halt}), against a real Galera donor node. The
 * run is then {@code interrupted} at that stage, the other side ends within its timeouts, and
 * the node recovers: a joiner past its stream is finished by {@code sst-admin resume} without
 * a donor, any other run is started over by a new SST on the same datadir, which succeeds.
 */
class HaltAtEveryCheckpointIT {


    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("halts", 5);

    /** Every boundary of a table, in the order a run meets them. */
    private static Stream<String> boundaries(Machine<?> m) {
        return m.workingStates().stream().flatMap(s -> Stream.of(s + ".started", s + ".completed"));
    }

    static Stream<String> joinerBoundaries() {
        return boundaries(SstMachines.joiner());
    }

    static Stream<String> donorBoundaries() {
        return boundaries(SstMachines.donor());
    }

    /**
     * Whether sst-admin resume may finish a joiner halted at {@code point}: what the machine's
     * own resume rule says of a run that completed every stage declared before that one.
     */
    private static boolean resumable(String point) {
        String stage = point.substring(0, point.indexOf('.'));
        List<String> declared = SstMachines.joiner().workingStates();
        List<String> completed = new java.util.ArrayList<>(declared.subList(0, declared.indexOf(stage)));
        List<String> started = new java.util.ArrayList<>(completed);
        started.add(stage);
        if (point.endsWith(".completed")) {
            completed.add(stage);
        }
        return SstMachines.joiner().resumeFrom(completed, started).stage().isPresent();
    }

    @ParameterizedTest(name = "joiner halted at {0}")
    @MethodSource("joinerBoundaries")
    void aJoinerHaltedAtAnyCheckpointIsInterruptedThereAndIsResumedOrStartedOver(String point, @TempDir Path tmp)
            throws Exception {
        String stage = point.substring(0, point.indexOf('.'));
        List<String> sst = new java.util.ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        if (stage.equals("wipe_early")) {
            sst.addAll(DirectSst.roomOnlyAfterTheWipe(tmp, true)); // the only way a run takes that stage
        }
        DirectSst.Side j = DirectSst.joiner(tmp, sst, Map.of(FaultPoints.VARIABLE, point + ":halt"));
        Optional<String> ready = DirectSst.ready(j);
        DirectSst.Side d = ready.isPresent() ? DirectSst.donor(tmp, DONOR.node(), ready.get(), DirectSst.SHORT_TIMEOUTS, Map.of()) : null;
        assertEquals(FaultPoints.HALT_STATUS, j.exit(DirectSst.BOUND), j.err());
        if (d != null) {
            int donorExit = d.exit(DirectSst.BOUND);
            assertTrue(donorExit == 0 || donorExit == 32, "the donor ends, done or with 32 (P3): " + donorExit);
        }
        RunSummary halted = newest(j.history());
        assertEquals("interrupted", halted.outcome(), "a dead owner and no recorded end");
        assertEquals(stage, halted.lastStage());
        boolean printedPosition = j.lines().stream().anyMatch(l -> l.matches("[0-9a-f-]{36}:\\d+ \\d+"));
        assertEquals(point.equals("report_position.completed"), printedPosition,
                "a position only once report_position has run (P1): " + j.lines());

        Path data = tmp.resolve("data");
        if (resumable(point)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err))
                    .execute("resume", "last", "--history-dir", j.history().toString(), "--defaults-file",
                            tmp.resolve("joiner.cnf").toString());
            assertEquals(0, code, out + "\n" + err);
            assertTrue(Files.isRegularFile(data.resolve("grastate.dat")), "resume records the position");
            assertEquals("completed", newest(j.history()).outcome(), "the same run, finished by resume");
        } else {
            DirectSst.Side again = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, Map.of());
            String address = DirectSst.ready(again).orElseThrow(() -> new AssertionError(again.err()));
            DirectSst.Side donorAgain = DirectSst.donor(tmp, DONOR.node(), address, DirectSst.SHORT_TIMEOUTS, Map.of());
            assertEquals(0, donorAgain.exit(DirectSst.BOUND), donorAgain.err());
            assertEquals(0, again.exit(DirectSst.BOUND), "a new SST starts over on the same datadir (P4):\n" + again.err());
            List<String> lines = again.lines();
            assertTrue(lines.get(lines.size() - 1).matches("[0-9a-f-]{36}:\\d+ 0"), lines.toString());
            assertEquals("completed", newest(j.history()).outcome());
            StringWriter out = new StringWriter();
            new SstAdmin(new PrintWriter(out), new PrintWriter(new StringWriter()))
                    .execute("inspect", halted.id(), "--history-dir", j.history().toString());
            assertTrue(out.toString().contains("INTERRUPTED") && out.toString().contains("found_interrupted"),
                    "the halted run stays interrupted, and the new SST recorded finding it:\n" + out);
        }
        assertTrue(Files.isRegularFile(data.resolve("sbtest/t.ibd")), "the donor's table is in place");
        assertFalse(Files.exists(data.resolve(".sst")), "no received backup is left behind");
        assertFalse(Files.exists(data.resolve("sst_in_progress")), "no in-progress marker is left behind");
        TransitionLedger.record(getClass(), tmp);
    }

    @ParameterizedTest(name = "donor halted at {0}")
    @MethodSource("donorBoundaries")
    void aDonorHaltedAtAnyCheckpointIsInterruptedThereItsJoinerEndsAndTheNextDonationSucceeds(String point,
            @TempDir Path tmp) throws Exception {
        String stage = point.substring(0, point.indexOf('.'));
        DirectSst.Side j = DirectSst.joiner(tmp.resolve("first"), DirectSst.SHORT_TIMEOUTS, Map.of());
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.Side d = DirectSst.donor(tmp, DONOR.node(), address, DirectSst.SHORT_TIMEOUTS, Map.of(FaultPoints.VARIABLE, point + ":halt"));
        assertEquals(FaultPoints.HALT_STATUS, d.exit(DirectSst.BOUND), d.err());
        int joinerExit = j.exit(DirectSst.BOUND);
        boolean printedPosition = j.lines().stream().anyMatch(l -> l.matches("[0-9a-f-]{36}:\\d+ \\d+"));
        assertEquals(printedPosition ? 0 : 32, joinerExit, "the joiner reports a whole copy or ends with 32:\n" + j.err());
        RunSummary halted = newest(d.history());
        assertEquals("interrupted", halted.outcome());
        assertEquals(stage, halted.lastStage());

        // the halted donor left its wsrep_sst.pid in the node's datadir: the next donation must not wait on it
        DirectSst.Side j2 = DirectSst.joiner(tmp.resolve("second"), DirectSst.SHORT_TIMEOUTS, Map.of());
        String address2 = DirectSst.ready(j2).orElseThrow(() -> new AssertionError(j2.err()));
        DirectSst.Side d2 = DirectSst.donor(tmp, DONOR.node(), address2, DirectSst.SHORT_TIMEOUTS, Map.of());
        assertEquals(0, d2.exit(DirectSst.BOUND), d2.err());
        assertEquals(0, j2.exit(DirectSst.BOUND), j2.err());
        StringWriter out = new StringWriter();
        new SstAdmin(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .execute("inspect", halted.id(), "--history-dir", d.history().toString());
        assertTrue(out.toString().contains("found_interrupted"), "the next donor recorded what it found:\n" + out);
        TransitionLedger.record(getClass(), tmp);
    }

    private static RunSummary newest(Path history) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            return new HistoryQueries(db).history(null, 10).get(0);
        }
    }
}
