package org.sstorchestrator.states;

import org.sstorchestrator.states.exec.Abort;

/**
 * Aborts the run when mysqld (the joiner's --parent) goes away, like the stock script's
 * monitor loop, but for the whole run rather than only while waiting for the stream.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    public static void start(long parentPid, Abort abort) {
        ProcessHandle.of(parentPid).ifPresentOrElse(parent -> parent.onExit().thenRun(() -> abort.trigger(
                new SstException(ExitCode.EPIPE, "parent mysqld process (pid " + parentPid + ") terminated unexpectedly"))),
                () -> abort.trigger(new SstException(ExitCode.EPIPE, "parent mysqld process (pid " + parentPid
                        + ") is not running")));
    }
}
