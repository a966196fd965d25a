package org.sstorchestrator.cli;

import org.sstorchestrator.engine.Failure;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/** Maps whatever a stage threw to the exit code it ends in: the one place this happens. */
public final class Classifier implements Failure.Classifier {

    @Override
    public Failure classify(String stage, Throwable e) {
        if (e instanceof SstException s) {
            return new Failure(s.code().code(), s.getMessage());
        }
        if (e instanceof HistoryException) {
            return new Failure(ExitCode.EINVAL.code(), e.getMessage());
        }
        if (e instanceof InterruptedException) {
            return new Failure(ExitCode.INTERRUPTED.code(), "interrupted in " + stage);
        }
        if (e instanceof java.io.IOException) {
            return new Failure(ExitCode.EPIPE.code(), stage + ": " + e);
        }
        return new Failure(ExitCode.GENERIC.code(), "unexpected error in " + stage + ": " + e);
    }
}
