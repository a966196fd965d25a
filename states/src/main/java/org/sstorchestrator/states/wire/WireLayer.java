package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One step of the stream pipeline between the backup and the socket. On the wire the stock
 * layering is {@code compressor(encrypt(mbstream))}: the donor wraps its output from the
 * socket inwards, the joiner its input. Encryption, compression and rate limiting are layers;
 * TLS wraps the socket itself (see {@link Transport}).
 */
public interface WireLayer {

    String name();

    OutputStream sending(OutputStream toPeer) throws IOException;

    InputStream receiving(InputStream fromPeer) throws IOException;
}
