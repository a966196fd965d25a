package org.sstorchestrator.engine;

import java.util.List;
import java.util.Optional;

/** How a run ended: the terminal state, the stages visited, and the first failure if any. */
public record RunResult(String terminalState, List<String> visited, Optional<Failure> failure) {

    public boolean completed() {
        return failure.isEmpty();
    }
}
