package org.sstorchestrator.wire;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes of a transfer where it sits in the chain, Okio's forwarding sink and source
 * for the one count the transfer reports ({@link Transfer#wireBytes}). Declared just above the
 * socket and its TLS, it counts what went over the wire after every other layer (the donor's
 * compressor, encrypt=1), so both ends of a transfer record the same figure.
 */
public final class Counting implements Layer {

    public static final Counting WIRE = new Counting();

    private Counting() {
    }

    @Override
    public String name() {
        return "count";
    }

    @Override
    public Duplex open(Duplex below, Opening at) {
        LongAdder bytes = new LongAdder();
        at.counts(bytes::sum);
        return at.direction() == Direction.SEND ? below.withOut(new Out(below.out(), bytes))
                : below.withIn(new In(below.in(), bytes));
    }

    private static final class Out extends FilterOutputStream {
        private final LongAdder bytes;

        Out(OutputStream out, LongAdder bytes) {
            super(out);
            this.bytes = bytes;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes.increment();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes.add(len);
        }
    }

    private static final class In extends FilterInputStream {
        private final LongAdder bytes;

        In(InputStream in, LongAdder bytes) {
            super(in);
            this.bytes = bytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                bytes.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                bytes.add(n);
            }
            return n;
        }
    }
}
