package org.sstorchestrator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages along a machine's transition table, checkpointing each one: {@code started} is
 * durable before the stage's side effects, {@code completed} or {@code failed} after them. An
 * exception in a stage is always a failed event and a failure edge, never a log line.
 */
public final class StageRunner<C> {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

    /** The collaborators of a runner besides the machine: how it records, drives, classifies, fails and tells. */
    public record Wiring(RunJournal journal, TransitionDriver.Factory drivers, Failure.Classifier classifier,
                         FaultPoints faults, StageListener listener, LongSupplier nanoClock) {

        public Wiring {
            listener = listener == null ? StageListener.NONE : listener;
            nanoClock = nanoClock == null ? System::nanoTime : nanoClock;
        }
    }

    private final TransitionTable table;
    private final Map<String, ? extends Stage<C>> stages;
    private final Wiring w;

    public StageRunner(Machine<C> machine, Wiring wiring) {
        this(machine.table(), machine.stages(), wiring);
    }

    public StageRunner(TransitionTable table, Map<String, ? extends Stage<C>> stages, Wiring wiring) {
        for (String state : table.states()) {
            if (!table.isTerminal(state) && !stages.containsKey(state)) {
                throw new IllegalArgumentException(table.name() + ": no stage implements state " + state);
            }
        }
        this.table = table;
        this.stages = stages;
        this.w = wiring;
    }

    public RunResult run(String runId, C context) {
        return run(runId, context, table.initial());
    }

    public RunResult run(String runId, C context, String from) {
        List<String> visited = new ArrayList<>();
        Failure first = null;
        try (TransitionDriver driver = w.drivers().create(table)) {
            driver.start(from);
            String state = from;
            while (!table.isTerminal(state)) {
                visited.add(state);
                w.listener().entering(state);
                StageEnd end = runStage(runId, state, context);
                if (end.failure() != null && first == null) {
                    first = end.failure();
                    w.listener().failed(state, first);
                }
                state = driver.fire(end.event());
            }
            if (first == null && !state.equals(table.completedState())) {
                first = new Failure(1, table.name() + " ended in " + state + " without a recorded failure");
            }
        }
        return end(runId, visited, first);
    }

    /**
     * A run that fails before its first stage can run (its configuration is refused, say):
     * recorded like any stage's failure, at {@code stage}, so the history and its readers see
     * one kind of failure whatever the moment.
     */
    public RunResult refuse(String runId, String stage, Throwable why) {
        Failure f = w.classifier().classify(stage, why);
        w.journal().stageStarted(runId, stage);
        w.journal().stageFailed(runId, stage, f.code(), f.message());
        return end(runId, List.of(stage), f);
    }

    private RunResult end(String runId, List<String> visited, Failure first) {
        if (first == null) {
            w.journal().runEnded(runId, true, 0, null);
        } else {
            w.journal().runEnded(runId, false, first.code(), first.message());
        }
        return new RunResult(first == null ? table.completedState() : table.failedState(),
                List.copyOf(visited), Optional.ofNullable(first));
    }

    /** The event a stage's end fires: its outcome, or {@code failed} with the failure. */
    private record StageEnd(String event, Failure failure) {
    }

    private StageEnd runStage(String runId, String state, C context) {
        Stage<C> stage = stages.get(state);
        w.journal().stageStarted(runId, state);
        LOG.info("{} started", state);
        long t0 = w.nanoClock().getAsLong();
        try {
            w.faults().hit(state + ".started"); // inside the try: an injected failure is the stage's failure
            String outcome = stage.run(context);
            if (outcome == null || TransitionTable.FAILED.equals(outcome) || table.next(state, outcome).isEmpty()) {
                throw new IllegalStateException("stage " + state + " returned outcome '" + outcome
                        + "', which the " + table.name() + " table does not declare");
            }
            w.journal().stageCompleted(runId, state, outcome);
            LOG.info("{} completed in {} ms{}", state, (w.nanoClock().getAsLong() - t0) / 1_000_000,
                    Stage.OK.equals(outcome) ? "" : " (" + outcome + ")");
            w.faults().hit(state + ".completed");
            return new StageEnd(outcome, null);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Failure failure = w.classifier().classify(state, e);
            w.journal().stageFailed(runId, state, failure.code(), failure.message());
            LOG.info("{} failed: {}", state, failure.message());
            LOG.debug("stage {} failed", state, e);
            return new StageEnd(TransitionTable.FAILED, failure);
        }
    }
}
