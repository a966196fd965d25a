package org.sstorchestrator.wire;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Gathers the writes of the layer above into writes of a segment ({@link Buffers#SEGMENT}), as
 * Netty's FlushConsolidationHandler does: under TLS, one system call (and one wake-up of the
 * peer) for many 16 KB records. Nothing waits here when it matters: what is gathered goes out
 * on a flush (the layer above flushes each handshake flight and its close), before anything is
 * read from the connection (a flight goes before its answer is awaited), when a segment is
 * full, and on close.
 */
public final class Coalescing implements Layer {

    public static final Coalescing WRITES = new Coalescing(Buffers.SEGMENT);

    private final int size;

    Coalescing(int size) {
        this.size = size;
    }

    @Override
    public String name() {
        return "coalesced writes";
    }

    @Override
    public Duplex open(Duplex below, Opening at) {
        Gathering out = new Gathering(below.out(), size);
        InputStream in = new FilterInputStream(below.in()) {
            @Override
            public int read() throws IOException {
                out.send();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                out.send();
                return in.read(b, off, len);
            }
        };
        return new Duplex(in, out);
    }

    private static final class Gathering extends OutputStream {
        private final OutputStream out;
        private final byte[] buffer;
        private int filled;

        Gathering(OutputStream out, int size) {
            this.out = out;
            this.buffer = new byte[size];
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (filled + len > buffer.length) {
                send();
            }
            if (len >= buffer.length) {
                out.write(b, off, len);
                return;
            }
            System.arraycopy(b, off, buffer, filled, len);
            filled += len;
            if (filled == buffer.length) {
                send();
            }
        }

        synchronized void send() throws IOException {
            if (filled > 0) {
                int n = filled;
                filled = 0;
                out.write(buffer, 0, n);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            send();
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            send();
            out.close();
        }
    }
}
