package org.sstorchestrator.wire;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * {@code [sst] rlimit}: paces the donor's backup stream to a number of bytes per second, as
 * the stock script's {@code pv -L} does, but smoothly: bytes go in slices of at most 10 ms'
 * worth, each when a virtual clock that advances by the slice's time allows, and the clock is
 * never allowed to fall more than 10 ms behind real time (an idle moment builds no credit for
 * a burst). So over any window of W seconds at most {@code rate * (W + 0.02)} bytes pass: 2 %
 * above the limit over any second ({@code RateLimiterTest} proves it with an injected clock).
 * It sits next to the socket, so like pv after the compressor it limits the bytes on the wire.
 */
public final class RateLimiter {

    static final long SLACK_NANOS = 10_000_000L;
    private static final int MAX_SLICE = 1 << 20;

    /** How the limiter waits; tests advance a fake clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedIOException;
    }

    private final long bytesPerSecond;
    private final LongSupplier nanos;
    private final Sleeper sleeper;
    private final int slice;
    private final AtomicLong passed = new AtomicLong();
    private long next;
    private boolean started;

    public RateLimiter(long bytesPerSecond, LongSupplier nanos, Sleeper sleeper) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("a rate limit is positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanos = nanos;
        this.sleeper = sleeper;
        this.slice = (int) Math.max(1, Math.min(MAX_SLICE, bytesPerSecond / 100));
    }

    public static RateLimiter realTime(long bytesPerSecond) {
        return new RateLimiter(bytesPerSecond, System::nanoTime, RateLimiter::park);
    }

    private static void park(long nanos) throws InterruptedIOException {
        long until = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while rate-limiting");
            }
        }
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Bytes let through so far. */
    public long passed() {
        return passed.get();
    }

    int slice() {
        return slice;
    }

    /** Blocks until {@code n} more bytes (at most one slice) may go. */
    void acquire(int n) throws InterruptedIOException {
        long now = nanos.getAsLong();
        if (!started) {
            started = true;
            next = now;
        }
        if (next < now - SLACK_NANOS) {
            next = now - SLACK_NANOS;
        }
        while (now < next) {
            sleeper.sleepNanos(next - now);
            now = nanos.getAsLong();
        }
        next += n * 1_000_000_000L / bytesPerSecond + (n * 1_000_000_000L % bytesPerSecond == 0 ? 0 : 1);
        passed.addAndGet(n);
    }

    /** The stream that paces what is written through it. */
    public OutputStream wrap(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                acquire(1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int n = Math.min(len, slice);
                    acquire(n);
                    out.write(b, off, n);
                    off += n;
                    len -= n;
                }
            }
        };
    }

    /** As a layer of a chain: next to the counted wire, sending only (the joiner never limits). */
    public StreamLayer layer() {
        return new StreamLayer() {
            @Override
            public String name() {
                return "rate limit " + bytesPerSecond + " bytes/s";
            }

            @Override
            public OutputStream sending(OutputStream below) {
                return wrap(below);
            }
        };
    }
}
