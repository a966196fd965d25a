package org.sstorchestrator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageRunnerTest {

    private final RecordingJournal journal = new RecordingJournal();
    private final List<String> ran = new ArrayList<>();

    private final TransitionTable table = TransitionTable.builder("t")
            .state("a").state("b").state("c")
            .on("a", Stage.OK, "b").on("a", "skip", "c").on("b", Stage.OK, "c").on("c", Stage.OK, "completed")
            .build();

    private Stage<Void> returning(String name, String outcome) {
        return ctx -> {
            ran.add(name);
            return outcome;
        };
    }

    private Stage<Void> throwing(String name, RuntimeException e) {
        return ctx -> {
            ran.add(name);
            throw e;
        };
    }

    private RunResult run(Map<String, Stage<Void>> stages) {
        return new StageRunner<>(table, stages, wiring((stage, e) -> new Failure(e instanceof IllegalStateException ? 32 : 1,
                e.getMessage()), FaultPoints.none())).run("r", null);
    }

    private StageRunner.Wiring wiring(Failure.Classifier classifier, FaultPoints faults) {
        return new StageRunner.Wiring(journal, SpringStatemachineDriver.FACTORY, classifier, faults, listener, null);
    }

    private final List<String> told = new ArrayList<>();
    private final StageListener listener = new StageListener() {
        @Override
        public void entering(String stage) {
            told.add("enter " + stage);
        }

        @Override
        public void failed(String stage, Failure failure) {
            told.add("failed " + stage + " " + failure.code());
        }
    };

    private Map<String, Stage<Void>> all(String aOutcome) {
        Map<String, Stage<Void>> m = new LinkedHashMap<>();
        m.put("a", returning("a", aOutcome));
        m.put("b", returning("b", Stage.OK));
        m.put("c", returning("c", Stage.OK));
        m.put("abort", returning("abort", Stage.OK));
        return m;
    }

    @Test
    void recordsStartedBeforeAndCompletedAfterEachStage() {
        RunResult r = run(all(Stage.OK));
        assertTrue(r.completed());
        assertEquals(List.of("a", "b", "c"), ran);
        assertEquals(List.of("a:started", "a:completed", "b:started", "b:completed", "c:started", "c:completed",
                "end:completed:0"), journal.lines);
    }

    @Test
    void followsTheBranchTheStageReturns() {
        run(all("skip"));
        assertEquals(List.of("a", "c"), ran);
        assertTrue(journal.lines.contains("a:completed:skip"));
    }

    @Test
    void anExceptionInAStageIsAFailedEventThenRecoveryAndTheFirstFailureCode() {
        Map<String, Stage<Void>> m = all(Stage.OK);
        m.put("b", throwing("b", new IllegalStateException("stream cut")));
        RunResult r = run(m);
        assertFalse(r.completed());
        assertEquals(32, r.failure().orElseThrow().code());
        assertEquals("failed", r.terminalState());
        assertEquals(List.of("a", "b", "abort"), ran);
        assertEquals(List.of("a:started", "a:completed", "b:started", "b:failed:32", "abort:started", "abort:completed",
                "end:failed:32"), journal.lines);
    }

    @Test
    void aFailingRecoveryStageStillEndsFailedWithTheOriginalCode() {
        Map<String, Stage<Void>> m = all(Stage.OK);
        m.put("a", throwing("a", new IllegalStateException("first")));
        m.put("abort", throwing("abort", new RuntimeException("second")));
        RunResult r = run(m);
        assertEquals(32, r.failure().orElseThrow().code());
        assertEquals("end:failed:32", journal.lines.get(journal.lines.size() - 1));
    }

    @Test
    void anUndeclaredOutcomeFailsTheStageInsteadOfWanderingOff() {
        RunResult r = run(all("sideways"));
        assertFalse(r.completed());
        assertTrue(r.failure().orElseThrow().message().contains("sideways"));
        assertTrue(journal.lines.contains("a:failed:32"));
    }

    @Test
    void aResumedRunStartsAtTheGivenStage() {
        new StageRunner<>(table, all(Stage.OK), wiring((s, e) -> new Failure(1, ""), FaultPoints.none())).run("r", null, "c");
        assertEquals(List.of("c"), ran);
    }

    @Test
    void refusesATableStateWithoutAStage() {
        Map<String, Stage<Void>> m = all(Stage.OK);
        m.remove("b");
        assertThrows(IllegalArgumentException.class, () -> run(m));
    }

    @Test
    void anInjectedFailureIsTheStagesFailureAndSkipsItsWorkAndAnInjectedAbortFailureStillEndsFailed() {
        FaultPoints faults = FaultPoints.fromEnvironment(Map.of(FaultPoints.VARIABLE, "b.started:fail, abort.started:fail"));
        RunResult r = new StageRunner<>(table, all(Stage.OK), wiring(
                (stage, e) -> new Failure(e instanceof FaultPoints.InjectedFailure ? 7 : 1, e.getMessage()), faults))
                .run("r", null);
        assertEquals(List.of("a"), ran, "neither b's nor abort's own work ran");
        assertEquals(List.of("a:started", "a:completed", "b:started", "b:failed:7", "abort:started", "abort:failed:7",
                "end:failed:7"), journal.lines);
        assertEquals("injected failure at b.started (SST_FAULT)", r.failure().orElseThrow().message());
    }

    @Test
    void anUnknownFaultActionIsRefusedWithTheSpecInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultPoints.fromEnvironment(Map.of(FaultPoints.VARIABLE, "b.started:explode")));
        assertTrue(e.getMessage().contains("'explode'") && e.getMessage().contains("b.started:explode"), e.getMessage());
    }

    @Test
    void theListenerHearsEachStageAsItIsEnteredAndTheFirstFailureBeforeRecoveryRuns() {
        Map<String, Stage<Void>> m = all(Stage.OK);
        m.put("b", ctx -> {
            throw new IllegalStateException("sideways");
        });
        run(m);
        assertEquals(List.of("enter a", "enter b", "failed b 32", "enter abort"), told);
    }

    @Test
    void aRunRefusedBeforeItsFirstStageIsRecordedAsThatStagesFailure() {
        RunResult r = new StageRunner<>(table, all(Stage.OK), wiring((s, e) -> new Failure(22, e.getMessage()),
                FaultPoints.none())).refuse("r", "a", new IllegalArgumentException("bad option"));
        assertEquals(List.of("a:started", "a:failed:22", "end:failed:22"), journal.lines);
        assertEquals("bad option", r.failure().orElseThrow().message());
        assertEquals(List.of(), ran, "no stage ran");
    }
}
