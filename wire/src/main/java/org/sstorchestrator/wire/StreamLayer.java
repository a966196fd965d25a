package org.sstorchestrator.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A layer that changes the data one way only, Okio's forwarding sink or source: it wraps the
 * output of a transfer that sends, or the input of one that receives, and leaves the other end
 * as it is (a compressor, openssl enc, a rate limit, a count).
 */
public interface StreamLayer extends Layer {

    /** The output this layer writes through to {@code below}; {@code below} itself when it does nothing sending. */
    default OutputStream sending(OutputStream below) throws IOException {
        return below;
    }

    /** The input this layer reads through from {@code below}; {@code below} itself when it does nothing receiving. */
    default InputStream receiving(InputStream below) throws IOException {
        return below;
    }

    @Override
    default Duplex open(Duplex below, Opening at) throws IOException {
        return at.direction() == Direction.SEND ? below.withOut(sending(below.out()))
                : below.withIn(receiving(below.in()));
    }
}
