package org.sstorchestrator.cli.run;

import org.sstorchestrator.engine.Failure;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Failures;
import org.sstorchestrator.states.SstException;

/**
 * Hands the engine what a stage's exception ends in. The mapping itself is
 * {@link Failures#classify}; the history is the one kind of failure the states module cannot
 * know, since it never sees the database.
 */
public final class Classifier implements Failure.Classifier {

    @Override
    public Failure classify(String stage, Throwable e) {
        SstException s = of(stage, e);
        return new Failure(s.code().code(), s.getMessage());
    }

    /** Also used by the entry point for what goes wrong outside any stage. */
    public static SstException of(String where, Throwable e) {
        if (e instanceof HistoryException && !Failures.noSpace(e)) {
            return new SstException(ExitCode.EINVAL, e.getMessage(), e);
        }
        if (e instanceof HistoryException) {
            return new SstException(ExitCode.ENOSPC, "the run history cannot be written, its filesystem is full: "
                    + e.getMessage() + "; free space there or set [sst] history-dir", e);
        }
        return Failures.classify(where, e);
    }
}
