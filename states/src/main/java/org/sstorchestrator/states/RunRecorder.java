package org.sstorchestrator.states;

import java.util.List;

/**
 * What stages tell the run's record beyond stage transitions. The states module writes
 * through this port and never sees the database behind it.
 */
public interface RunRecorder {

    void child(List<String> maskedArgv, Integer exitCode, long startedMs, long endedMs, String logPath);

    void transfer(String what, long bytes, long startedMs, long endedMs);

    void attribute(String name, String value);

    /** Bytes so far of the running stream (and the expected total if known), about once a second. */
    void progress(long bytes, Long total);
}
