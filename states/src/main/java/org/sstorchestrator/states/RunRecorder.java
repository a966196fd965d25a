package org.sstorchestrator.states;

import java.util.List;

/**
 * What stages tell the run's record beyond stage transitions. The states module writes
 * through this port and never sees the database behind it.
 */
public interface RunRecorder {

    void child(List<String> maskedArgv, Integer exitCode, long startedMs, long endedMs, String logPath);

    /** A stream's bytes; {@code complete} false when it was cut short (its bytes are still recorded). */
    void transfer(String what, long bytes, long startedMs, long endedMs, boolean complete);

    default void transfer(String what, long bytes, long startedMs, long endedMs) {
        transfer(what, bytes, startedMs, endedMs, true);
    }

    /**
     * Something the run noticed and dealt with without failing, for sst-admin inspect: a
     * refused connection, keys dropped from the donor's backup-my.cnf, a refused log archive.
     * {@code detail} must hold no secret.
     */
    void note(String kind, String detail);

    void attribute(String name, String value);

    /** Bytes so far of the running stream (and the expected total if known), about once a second. */
    void progress(long bytes, Long total);
}
