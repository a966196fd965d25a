package org.sstorchestrator.states.joiner;

import java.net.ServerSocket;
import java.util.Optional;
import org.sstorchestrator.states.text.Secret;

/**
 * Given by {@link Listen}: the joiner's listening socket, until the donor's backup connection
 * is in, and in a VERIFY ssl-mode the secret it sent in its address (the donor must send it
 * back in transfer 1).
 */
public record Listening(ServerSocket server, Optional<Secret> secret) {
}
