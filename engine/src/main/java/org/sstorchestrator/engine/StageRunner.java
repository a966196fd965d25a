package org.sstorchestrator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs stages along a transition table, checkpointing each one: {@code started} is durable
 * before the stage's side effects, {@code completed} or {@code failed} after them. An
 * exception in a stage is always a failed event and a failure edge, never a log line.
 */
public final class StageRunner<C> {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

    private final TransitionTable table;
    private final Map<String, ? extends Stage<C>> stages;
    private final RunJournal journal;
    private final TransitionDriver.Factory drivers;
    private final Failure.Classifier classifier;
    private final FaultPoints faults;

    public StageRunner(TransitionTable table, Map<String, ? extends Stage<C>> stages, RunJournal journal,
                       TransitionDriver.Factory drivers, Failure.Classifier classifier, FaultPoints faults) {
        for (String state : table.states()) {
            if (!table.isTerminal(state) && !stages.containsKey(state)) {
                throw new IllegalArgumentException(table.name() + ": no stage implements state " + state);
            }
        }
        this.table = table;
        this.stages = stages;
        this.journal = journal;
        this.drivers = drivers;
        this.classifier = classifier;
        this.faults = faults;
    }

    public RunResult run(String runId, C context) {
        return run(runId, context, table.initial());
    }

    public RunResult run(String runId, C context, String from) {
        List<String> visited = new ArrayList<>();
        Failure first = null;
        try (TransitionDriver driver = drivers.create(table)) {
            driver.start(from);
            String state = from;
            while (!table.isTerminal(state)) {
                visited.add(state);
                MDC.put("stage", state);
                StageEnd end = runStage(runId, state, context);
                if (end.failure() != null && first == null) {
                    first = end.failure();
                    if (context instanceof Failure.Aware aware) {
                        aware.failed(state, first);
                    }
                }
                state = driver.fire(end.event());
            }
            MDC.remove("stage");
            if (first == null && !state.equals(table.completedState())) {
                first = new Failure(1, table.name() + " ended in " + state + " without a recorded failure");
            }
        }
        if (first == null) {
            journal.runEnded(runId, true, 0, null);
        } else {
            journal.runEnded(runId, false, first.code(), first.message());
        }
        return new RunResult(first == null ? table.completedState() : table.failedState(),
                List.copyOf(visited), Optional.ofNullable(first));
    }

    /** The event a stage's end fires: its outcome, or {@code failed} with the failure. */
    private record StageEnd(String event, Failure failure) {
    }

    private StageEnd runStage(String runId, String state, C context) {
        Stage<C> stage = stages.get(state);
        journal.stageStarted(runId, state);
        LOG.info("{} started", state);
        long t0 = System.nanoTime();
        try {
            faults.hit(state + ".started"); // inside the try: an injected failure is the stage's failure
            String outcome = stage.run(context);
            if (outcome == null || TransitionTable.FAILED.equals(outcome) || table.next(state, outcome).isEmpty()) {
                throw new IllegalStateException("stage " + state + " returned outcome '" + outcome
                        + "', which the " + table.name() + " table does not declare");
            }
            journal.stageCompleted(runId, state, outcome);
            LOG.info("{} completed in {} ms{}", state, (System.nanoTime() - t0) / 1_000_000,
                    Stage.OK.equals(outcome) ? "" : " (" + outcome + ")");
            faults.hit(state + ".completed");
            return new StageEnd(outcome, null);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Failure failure = classifier.classify(state, e);
            journal.stageFailed(runId, state, failure.code(), failure.message());
            LOG.info("{} failed: {}", state, failure.message());
            LOG.debug("stage {} failed", state, e);
            return new StageEnd(TransitionTable.FAILED, failure);
        }
    }
}
