package org.sstorchestrator.states.exec;

/** Told about every child process when it starts and when it ends, so the run's record lists each one. */
@FunctionalInterface
public interface ChildListener {

    void ended(Command command, Integer exitCode, long startedMs, long endedMs);

    /** As it starts: its pid and start time identify it for sst-admin cleanup, should we die first. */
    default void started(Command command, ProcessHandle process) {
    }
}
