package org.sstorchestrator.engine;

import java.util.List;

/**
 * Where a run's checkpoints go. Implementations must make each call durable before it
 * returns: the runner calls {@link #stageStarted} before a stage's side effects and
 * {@link #stageCompleted}/{@link #stageFailed} after them, and a crash in between must leave
 * exactly that record behind.
 */
public interface RunJournal {

    void stageStarted(String runId, String stage);

    void stageCompleted(String runId, String stage, String outcome);

    void stageFailed(String runId, String stage, int code, String message);

    void runEnded(String runId, boolean completed, int exitCode, String message);

    /** A child process that ran for a stage; {@code argv} must already be masked. */
    void childProcess(String runId, String stage, List<String> argv, Integer exitCode,
                      long startedMs, long endedMs, String logPath);

    void transfer(String runId, String stage, long bytes, long startedMs, long endedMs);

    /** A named fact about the run, written once (a second write of a name is ignored). */
    void attribute(String runId, String name, String value);

    /** Stages already completed by an earlier attempt of this run, in order. */
    List<String> completedStages(String runId);
}
