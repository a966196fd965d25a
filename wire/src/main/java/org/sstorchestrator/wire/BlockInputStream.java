package org.sstorchestrator.wire;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that works in blocks: its subclasses read into an array, and a one-byte read
 * is that with an array of one. A block read may return 0 before the end (a TLS record that
 * carried no data, a gzip member's header), so the one-byte read asks again until it has a byte
 * or the end: {@link InputStream#read()} must never answer "nothing yet".
 */
public abstract class BlockInputStream extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
