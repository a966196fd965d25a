package org.sstorchestrator.engine;

/** What a failed stage turns into: the process exit code and one line for the operator. */
public record Failure(int code, String message) {

    /** Maps a stage's exception to a failure; the domain supplies it (the engine knows no codes). */
    @FunctionalInterface
    public interface Classifier {
        Failure classify(String stage, Throwable error);
    }
}
