package org.sstorchestrator.states;

/** The one exception of the SST: a message for the operator and the exit code it ends in. */
public class SstException extends RuntimeException {

    private final ExitCode code;

    public SstException(ExitCode code, String message) {
        super(message);
        this.code = code;
    }

    public SstException(ExitCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ExitCode code() {
        return code;
    }
}
