package org.sstorchestrator.states.exec;

/** Told about every child process when it ends, so the run's record lists each one. */
@FunctionalInterface
public interface ChildListener {
    void ended(Command command, Integer exitCode, long startedMs, long endedMs);
}
