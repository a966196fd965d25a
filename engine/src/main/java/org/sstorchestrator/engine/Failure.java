package org.sstorchestrator.engine;

/** What a failed stage turns into: the process exit code and one line for the operator. */
public record Failure(int code, String message) {

    /**
     * Implemented by a run's context that wants to know the first failure before the recovery
     * stage runs (what to clean up can depend on why the run failed: a full disk, say).
     */
    public interface Aware {
        void failed(String stage, Failure failure);
    }

    /** Maps a stage's exception to a failure; the domain supplies it (the engine knows no codes). */
    @FunctionalInterface
    public interface Classifier {
        Failure classify(String stage, Throwable error);
    }
}
