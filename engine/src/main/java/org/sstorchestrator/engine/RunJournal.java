package org.sstorchestrator.engine;

/**
 * Where a run's checkpoints go: only what the engine itself writes. Implementations must make
 * each call durable before it returns: the runner calls {@link #stageStarted} before a
 * stage's side effects and {@link #stageCompleted}/{@link #stageFailed} after them, and a
 * crash in between must leave exactly that record behind. What stages record beyond their
 * transitions (children, transfers, facts) goes through the domain's own recorder.
 */
public interface RunJournal {

    void stageStarted(String runId, String stage);

    void stageCompleted(String runId, String stage, String outcome);

    void stageFailed(String runId, String stage, int code, String message);

    void runEnded(String runId, boolean completed, int exitCode, String message);
}
