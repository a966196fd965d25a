package org.sstorchestrator.states.joiner;

import java.net.ServerSocket;

/** Given by {@link Listen}: the joiner's listening socket, until the donor's backup connection is in. */
public record Listening(ServerSocket server) {
}
