package org.sstorchestrator.states.joiner;

/**
 * Given by {@link ReceiveStream} (and by a resumed run, which is only allowed when it is so):
 * the whole backup is in {@code .sst}.
 */
public record Received() {
}
