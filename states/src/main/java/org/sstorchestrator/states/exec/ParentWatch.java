package org.sstorchestrator.states.exec;

import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.stock.StockLine;

/**
 * Aborts the run when mysqld (the joiner's --parent) goes away, like the stock script's
 * monitor loop, but for the whole run rather than only while waiting for the stream.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    /**
     * Aborts the run with {@code code} when the process {@code pid} ({@code who}) ends; at once
     * when it is already gone.
     */
    public static void watch(long pid, String who, ExitCode code, Abort abort) {
        ProcessHandle.of(pid).ifPresentOrElse(p -> p.onExit().thenRun(() -> abort.trigger(
                new SstException(code, who + " (pid " + pid + ") ended"))),
                () -> abort.trigger(new SstException(code, who + " (pid " + pid + ") is not running")));
    }

    public static void start(long parentPid, Abort abort) {
        ProcessHandle.of(parentPid).ifPresentOrElse(parent -> parent.onExit().thenRun(() -> abort.trigger(
                StockLine.PARENT_DIED.failure(ExitCode.EPIPE, "", parentPid))),
                () -> abort.trigger(StockLine.PARENT_DIED.failure(ExitCode.EPIPE, " (it was not running when the SST"
                        + " started)", parentPid)));
    }
}
