package org.sstorchestrator.wire;

import java.io.IOException;

/**
 * One concern of a transfer, one link of its {@link Chain}, as a handler is of Netty's pipeline:
 * it takes the ends of the connection below it (nearer the socket) and gives those the layer
 * above it works with. A layer is declared once and opened for each transfer; what it keeps
 * for one transfer lives in the streams it returns.
 *
 * <p>Closing the output a layer returns ends its stream (a compressor's last frame, a cipher's
 * padding, TLS's close_notify) and closes the output below, never the socket: the transfer
 * closes that, once.
 */
public interface Layer {

    /** For logs and the record: "built-in zstd -1", "TLS". */
    String name();

    Duplex open(Duplex below, Opening at) throws IOException;
}
