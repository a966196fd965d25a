package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.exec.Abort;

/**
 * The one copy loop of the data path: a 1 MiB buffer (java-notes.md measured 0.57-0.91 GB/s
 * this way against 0.35-0.41 for socat) and an idle watchdog. The stock script only times
 * out the first transfer; here any stall longer than the idle timeout aborts the run, so a
 * vanished peer ends the SST on both sides (promises P2, P3).
 */
public final class Copier {

    private static final int BUFFER = 1 << 20;

    private Copier() {
    }

    public static long copy(InputStream in, OutputStream out, Duration idle, String what, Abort abort, AtomicLong counter) {
        return copy(in, out, idle, what, abort, counter, bytes -> { });
    }

    /** As above, and tells {@code progress} the byte count twice a second and at the end (history, mysqld). */
    public static long copy(InputStream in, OutputStream out, Duration idle, String what, Abort abort, AtomicLong counter,
                            java.util.function.LongConsumer progress) {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idle-watchdog");
            t.setDaemon(true);
            return t;
        });
        if (!idle.isZero()) {
            long[] seen = {-1};
            long[] since = {System.nanoTime()};
            watchdog.scheduleAtFixedRate(() -> {
                long now = counter.get();
                if (now != seen[0]) {
                    seen[0] = now;
                    since[0] = System.nanoTime();
                } else if (System.nanoTime() - since[0] > idle.toNanos()) {
                    abort.trigger(new SstException(ExitCode.EPIPE, what + " stalled: no data for " + idle.toSeconds()
                            + " s after " + now + " bytes; raise [sst] sst-idle-timeout or check the peer"));
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
        }
        watchdog.scheduleAtFixedRate(() -> {
            try {
                progress.accept(counter.get());
            } catch (RuntimeException e) {
                // progress is for watching; a failure to record it never fails the stream
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
        long total = 0;
        byte[] buf = new byte[BUFFER];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                total += n;
                counter.addAndGet(n);
            }
            out.flush();
            stop(watchdog);
            progress.accept(total); // every stream leaves at least its final count, however short it was
            return total;
        } catch (IOException e) {
            abort.check();
            throw new SstException(ExitCode.EPIPE, what + " failed after " + total + " bytes: " + e.getMessage(), e);
        } finally {
            stop(watchdog);
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
