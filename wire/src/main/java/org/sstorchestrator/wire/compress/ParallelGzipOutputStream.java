package org.sstorchestrator.wire.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * gzip with several threads, as {@code pigz -p N} gives: the input is cut into 1 MiB blocks,
 * each compressed on its own thread into a gzip member, and the members are written in order.
 * Consecutive members are one valid gzip stream (RFC 1952 §2.2): {@code gzip -d} and
 * {@code pigz -d} join them. Each member starts without the previous block's window, which
 * costs well under 1 % of the ratio at 1 MiB blocks. At most two blocks per thread are in
 * flight, so memory stays bounded whatever the stream's size.
 */
final class ParallelGzipOutputStream extends OutputStream {

    static final int BLOCK = 1 << 20;

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private byte[] block = new byte[BLOCK];
    private int fill;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int level, int threads) {
        this.out = out;
        this.level = level;
        this.maxInFlight = threads * 2;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gzip-block");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BLOCK - fill);
            System.arraycopy(b, off, block, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == BLOCK) {
                submit();
            }
        }
    }

    private void submit() throws IOException {
        while (inFlight.size() >= maxInFlight) {
            writeOldest();
        }
        byte[] data = block;
        int length = fill;
        inFlight.add(pool.submit(() -> member(data, length, level)));
        block = new byte[BLOCK];
        fill = 0;
    }

    private void writeOldest() throws IOException {
        try {
            out.write(inFlight.removeFirst().get());
        } catch (ExecutionException e) {
            throw new IOException("compressing a gzip block failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while compressing");
        }
    }

    static byte[] member(byte[] data, int length, int level) throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream(length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(member, 1 << 16) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(data, 0, length);
        }
        return member.toByteArray();
    }

    /** Writes every block given so far (a partial one as a short member), then flushes. */
    @Override
    public void flush() throws IOException {
        if (fill > 0) {
            submit();
        }
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            pool.shutdownNow();
            out.close();
        }
    }
}
