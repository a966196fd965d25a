package org.sstorchestrator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: rlimit is smooth. With an injected clock, every byte's moment is known exactly, so
 * "no one-second window above the limit" is checked over every window, not sampled.
 */
class RateLimiterTest {

    /** A clock that only the limiter's sleeps (and the test's pauses) advance; records when bytes pass. */
    private static final class FakeTime {
        long now = 1_000_000_000L;
        long slept;
        final List<long[]> timeline = new ArrayList<>(); // {nanos, cumulative bytes} after each write

        RateLimiter limiter(long rate) {
            return new RateLimiter(rate, () -> now, n -> {
                now += n;
                slept += n;
            });
        }

        OutputStream sink() {
            return new OutputStream() {
                long total;

                @Override
                public void write(int b) {
                    write(new byte[1], 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    total += len;
                    timeline.add(new long[] {now, total});
                }
            };
        }

        /** The most bytes that passed in any window of {@code windowNanos}, over all windows. */
        long maxInAnyWindow(long windowNanos) {
            long max = 0;
            int j = 0;
            for (int i = 0; i < timeline.size(); i++) {
                long before = i == 0 ? 0 : timeline.get(i - 1)[1];
                while (j + 1 < timeline.size() && timeline.get(j + 1)[0] < timeline.get(i)[0] + windowNanos) {
                    j++;
                }
                j = Math.max(j, i);
                max = Math.max(max, timeline.get(j)[1] - before); // bytes from write i up to the window's end
            }
            return max;
        }
    }

    private static void writeInRandomPieces(OutputStream out, long total, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 20];
        for (long left = total; left > 0; ) {
            int n = (int) Math.min(left, 1 + r.nextInt(1 << 20));
            out.write(buf, 0, n);
            left -= n;
        }
    }

    @Test
    void noOneSecondWindowCarriesMoreThanTheLimitAndTwoPercent() throws IOException {
        long rate = 20L << 20; // rlimit=20m
        FakeTime t = new FakeTime();
        OutputStream out = t.limiter(rate).wrap(t.sink());
        writeInRandomPieces(out, 200L << 20, 7);
        long max = t.maxInAnyWindow(1_000_000_000L);
        assertTrue(max <= rate * 1.02, "a one-second window carried " + max + " bytes, limit " + rate);
        long took = t.timeline.get(t.timeline.size() - 1)[0] - t.timeline.get(0)[0];
        double seconds = took / 1e9;
        assertTrue(Math.abs(seconds - 10.0) < 0.1, "200 MiB at 20 MiB/s take 10 s, took " + seconds);
        assertTrue(t.maxInAnyWindow(100_000_000L) <= rate * 0.12, "smooth within a tenth of a second as well");
    }

    @Test
    void anIdlePauseBuildsNoCreditForABurstAfterIt() throws IOException {
        long rate = 1L << 20;
        FakeTime t = new FakeTime();
        OutputStream out = t.limiter(rate).wrap(t.sink());
        writeInRandomPieces(out, 3L << 20, 1);
        t.now += 30_000_000_000L; // the backup pauses for 30 s (a long table lock, say)
        writeInRandomPieces(out, 3L << 20, 2);
        assertTrue(t.maxInAnyWindow(1_000_000_000L) <= rate * 1.02, "no burst after the pause: " + t.maxInAnyWindow(1_000_000_000L));
    }

    @Test
    void aSenderSlowerThanTheLimitIsNeverHeldBack() throws IOException {
        FakeTime t = new FakeTime();
        OutputStream out = t.limiter(100L << 20).wrap(t.sink());
        for (int i = 0; i < 100; i++) {
            out.write(new byte[64 << 10]); // 64 KiB every 10 ms: 6.4 MiB/s
            t.now += 10_000_000L;
        }
        assertEquals(0, t.slept, "a stream under the limit never waits");
    }

    @Test
    void aTinyLimitStillPacesByteBySmallSlices() throws IOException {
        FakeTime t = new FakeTime();
        RateLimiter limiter = t.limiter(100);
        OutputStream out = limiter.wrap(t.sink());
        out.write(new byte[1000]);
        assertEquals(1, limiter.slice());
        long took = t.timeline.get(t.timeline.size() - 1)[0] - t.timeline.get(0)[0];
        assertTrue(Math.abs(took / 1e9 - 10.0) < 0.1, "1000 bytes at 100 bytes/s: " + took);
        assertTrue(t.maxInAnyWindow(1_000_000_000L) <= 102, "" + t.maxInAnyWindow(1_000_000_000L));
    }

    @Test
    void onARealClockTheLimitHoldsFromBelow() throws IOException {
        RateLimiter limiter = RateLimiter.realTime(8L << 20);
        long start = System.nanoTime();
        try (OutputStream out = limiter.wrap(OutputStream.nullOutputStream())) {
            writeInRandomPieces(out, 4L << 20, 3);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // only the lower bound: a busy machine makes it slower, never faster
        assertTrue(seconds >= 0.48, "4 MiB at 8 MiB/s cannot take less than about half a second: " + seconds);
        assertEquals(4L << 20, limiter.passed());
    }
}
