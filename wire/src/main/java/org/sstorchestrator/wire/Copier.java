package org.sstorchestrator.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The one copy loop of the data path: a large buffer ({@link Buffers#COPY}) and a stall
 * watchdog. The stock script only times
 * out the first transfer; here a stream that stops for the idle timeout, or that trickles
 * below the minimum rate over that window (a peer sending a byte now and then would
 * otherwise hold the other side for ever), aborts the run, so a vanished or hostile peer
 * ends the SST on both sides (promises P2, P3).
 *
 * <p>Which end is the network decides what an I/O error is: on the peer's side a broken link
 * (check the link and the peer), on the local side a local failure, a full disk told apart
 * ({@link WireException#local}).
 */
public final class Copier {

    /**
     * From the network, reads are gathered into writes of at least a segment ({@link Buffers#SEGMENT},
     * or what came in {@link #GATHER_NANOS}), whatever the socket hands over a read. Towards the
     * network every read is passed on at once (a donor holding data back would look stalled).
     */
    static final int GATHER = Buffers.SEGMENT;
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long TICK_MS = 200;

    /**
     * When a stream counts as stalled: no byte for {@code idle}, or under {@code minRate} bytes/s
     * over that window; the settings that say so, named in the failure ({@code [sst]
     * sst-idle-timeout}, {@code [sst] sst-min-rate}).
     */
    public record Stall(Duration idle, long minRate, String idleSetting, String minRateSetting) {

        public static Stall idleOnly(Duration idle) {
            return new Stall(idle, 0, "the idle timeout", "the minimum rate");
        }
    }

    /** Which end of the copy is the peer's connection. */
    public enum Network { SOURCE, SINK }

    private Copier() {
    }

    public static long copy(InputStream in, OutputStream out, Duration idle, String what, Cancel abort, AtomicLong counter) {
        return copy(in, out, Stall.idleOnly(idle), Network.SOURCE, what, abort, counter, bytes -> { }, System::nanoTime);
    }

    /** As above, and tells {@code progress} the byte count twice a second and at the end (history, mysqld). */
    public static long copy(InputStream in, OutputStream out, Stall stall, Network network, String what, Cancel abort,
                            AtomicLong counter, LongConsumer progress, LongSupplier nanoClock) {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stall-watchdog");
            t.setDaemon(true);
            return t;
        });
        if (!stall.idle().isZero()) {
            StallCheck check = new StallCheck(stall, nanoClock);
            watchdog.scheduleAtFixedRate(() -> {
                String why = check.sample(counter.get());
                if (why != null) {
                    abort.trigger(new WireException(WireException.Kind.BROKEN_LINK, what + " " + why));
                }
            }, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
        watchdog.scheduleAtFixedRate(() -> {
            try {
                progress.accept(counter.get());
            } catch (RuntimeException e) {
                // progress is for watching; a failure to record it never fails the stream
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
        long total = 0;
        byte[] buf = new byte[Buffers.COPY];
        int filled = 0;
        long batchStarted = 0;
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buf, filled, buf.length - filled);
                } catch (IOException e) {
                    throw failure(network == Network.SOURCE, what, total, e, abort);
                }
                if (n < 0) {
                    break;
                }
                total += n;
                counter.addAndGet(n);
                if (network == Network.SINK) {
                    write(out, buf, n, network, what, total, abort);
                    continue;
                }
                long now = nanoClock.getAsLong(); // once a read: up to 64 thousand reads a GB under TLS
                if (filled == 0) {
                    batchStarted = now;
                }
                filled += n;
                if (filled >= GATHER || now - batchStarted >= GATHER_NANOS) {
                    write(out, buf, filled, network, what, total, abort);
                    filled = 0;
                }
            }
            write(out, buf, filled, network, what, total, abort);
            try {
                out.flush();
            } catch (IOException e) {
                throw failure(network == Network.SINK, what, total, e, abort);
            }
            stop(watchdog);
            progress.accept(total); // every stream leaves at least its final count, however short it was
            return total;
        } finally {
            stop(watchdog);
        }
    }

    private static void write(OutputStream out, byte[] buf, int n, Network network, String what, long total, Cancel abort) {
        if (n == 0) {
            return;
        }
        try {
            out.write(buf, 0, n);
        } catch (IOException e) {
            throw failure(network == Network.SINK, what, total, e, abort);
        }
    }

    private static WireException failure(boolean onNetwork, String what, long total, IOException e, Cancel abort) {
        abort.check();
        if (onNetwork) {
            return WireException.broken(what + " failed after " + total + " bytes", e);
        }
        return WireException.local(what + " failed after " + total + " bytes", e);
    }

    /** Samples the byte count every tick; says why the stream counts as stalled, or null. */
    static final class StallCheck {
        private final Stall stall;
        private final LongSupplier nanoClock;
        private final long started;
        private final ArrayDeque<long[]> window = new ArrayDeque<>();
        private long lastCount = -1;
        private long lastChange;

        StallCheck(Stall stall, LongSupplier nanoClock) {
            this.stall = stall;
            this.nanoClock = nanoClock;
            this.started = nanoClock.getAsLong();
            this.lastChange = started;
        }

        String sample(long count) {
            long now = nanoClock.getAsLong();
            long idle = stall.idle().toNanos();
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            } else if (now - lastChange > idle) {
                return "stalled: no data for " + stall.idle().toSeconds() + " s after " + count
                        + " bytes; raise " + stall.idleSetting() + " or check the peer";
            }
            window.addLast(new long[] {now, count});
            while (!window.isEmpty() && now - window.peekFirst()[0] > idle) {
                window.removeFirst();
            }
            if (stall.minRate() > 0 && now - started >= idle && !window.isEmpty()) {
                long moved = count - window.peekFirst()[1];
                double seconds = (now - window.peekFirst()[0]) / 1e9;
                if (seconds > 0 && moved < stall.minRate() * seconds * 0.999) {
                    return "trickled: " + moved + " bytes in the last " + Math.round(seconds) + " s, under "
                            + stall.minRateSetting() + " (" + stall.minRate() + " bytes/s); check the peer, or lower "
                            + stall.minRateSetting().replaceFirst("^\\[[a-z]+\\] ", "");
                }
            }
            return null;
        }
    }

    /**
     * Cancels the periodic checks and waits for one that is running: never an interrupt, which
     * would reach a progress sample in the middle of its write to the history (an interrupt
     * during H2's file I/O closes the database for the rest of the run).
     */
    private static void stop(ScheduledExecutorService watchdog) {
        watchdog.shutdown();
        try {
            watchdog.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
