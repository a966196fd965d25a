package org.sstorchestrator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;


class CopierTest {

    @Test
    void theEndOfAStreamNeverInterruptsAProgressSampleThatIsBeingWritten() {
        CountDownLatch sampling = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        InputStream in = new InputStream() {
            private int reads;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (reads++ == 0) {
                    return 1000;
                }
                try {
                    sampling.await(10, TimeUnit.SECONDS); // the stream ends while a sample is being written
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
        };
        long total = Copier.copy(in, new ByteArrayOutputStream(), Copier.Stall.idleOnly(Duration.ofSeconds(30)),
                Copier.Network.SOURCE, "test stream", new TestCancel(), new AtomicLong(), bytes -> {
                    sampling.countDown();
                    try {
                        Thread.sleep(300); // a slow write to the history
                        seen.add("sample " + bytes);
                    } catch (InterruptedException e) {
                        seen.add("interrupted");
                    }
                }, System::nanoTime);
        assertEquals(1000, total);
        assertTrue(!seen.contains("interrupted"), "a sample was interrupted mid-write: " + seen);
        assertEquals("sample 1000", seen.get(seen.size() - 1), "the final count comes last: " + seen);
    }

    /** A source that hands over at most 16 KB a read, as a TLS socket does (one record). */
    private static InputStream recordSized(byte[] data) {
        return new java.io.ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 16 * 1024));
            }
        };
    }

    /** Counts the writes it is given, and keeps what they held. */
    private static final class Writes extends java.io.ByteArrayOutputStream {
        final List<Integer> sizes = new java.util.ArrayList<>();

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            sizes.add(len);
            super.write(b, off, len);
        }
    }

    @Test
    void fromTheNetworkRecordSizedReadsAreGatheredIntoLargeWritesAndNothingIsLostOrReordered() {
        byte[] data = new byte[3 * 1024 * 1024 + 12345];
        new java.util.Random(7).nextBytes(data);
        Writes out = new Writes();
        AtomicLong counter = new AtomicLong();
        long n = Copier.copy(recordSized(data), out, Copier.Stall.idleOnly(Duration.ofMinutes(1)), Copier.Network.SOURCE,
                "receiving", new TestCancel(), counter, x -> { }, () -> 0L); // a clock that stands still: gathered by size alone
        assertEquals(data.length, n);
        assertEquals(data.length, counter.get(), "every byte read is counted when read, for the stall check");
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, out.toByteArray());
        assertTrue(out.sizes.subList(0, out.sizes.size() - 1).stream().allMatch(x -> x >= Copier.GATHER), out.sizes.toString());
        assertTrue(out.sizes.size() <= data.length / Copier.GATHER + 1, out.sizes.toString());
    }

    @Test
    void towardsTheNetworkEveryReadIsPassedOnAtOnce() {
        byte[] data = new byte[200 * 1024];
        Writes out = new Writes();
        Copier.copy(recordSized(data), out, Copier.Stall.idleOnly(Duration.ofMinutes(1)), Copier.Network.SINK, "sending",
                new TestCancel(), new AtomicLong(), x -> { }, () -> 0L);
        assertEquals(13, out.sizes.size(), out.sizes.toString()); // 12 of 16 KB and the rest: a donor holds nothing back
    }

    /** Issue 6: a peer that sends a byte now and then would never trip the idle timeout alone. */
    @Test
    void aStreamThatTricklesUnderTheMinimumRateOverTheIdleWindowCountsAsStalled() {
        long[] now = {0};
        Copier.StallCheck check = new Copier.StallCheck(new Copier.Stall(Duration.ofSeconds(10), 1024, "[sst] sst-idle-timeout", "[sst] sst-min-rate"), () -> now[0]);
        long bytes = 0;
        String why = null;
        for (int tick = 1; tick <= 200 && why == null; tick++) { // 200 ms ticks: 40 s
            now[0] += 200_000_000L;
            if (tick % 45 == 0) {
                bytes++; // a byte every 9 s: never idle for the 10 s window
            }
            why = check.sample(bytes);
        }
        assertTrue(why != null && why.contains("trickled") && why.contains("sst-min-rate"), String.valueOf(why));
        assertTrue(now[0] <= 11_000_000_000L, "judged once a whole window had passed: " + now[0]);
    }

    @Test
    void aStreamAboveTheMinimumRateIsNeverJudgedStalled() {
        long[] now = {0};
        Copier.StallCheck check = new Copier.StallCheck(new Copier.Stall(Duration.ofSeconds(10), 1024, "[sst] sst-idle-timeout", "[sst] sst-min-rate"), () -> now[0]);
        long bytes = 0;
        for (int tick = 1; tick <= 500; tick++) {
            now[0] += 200_000_000L;
            bytes += 300; // 1500 bytes/s
            assertEquals(null, check.sample(bytes), "tick " + tick);
        }
    }

    @Test
    void withNoMinimumRateOnlySilenceCountsAsAStall() {
        long[] now = {0};
        Copier.StallCheck check = new Copier.StallCheck(new Copier.Stall(Duration.ofSeconds(10), 0, "[sst] sst-idle-timeout", "[sst] sst-min-rate"), () -> now[0]);
        long bytes = 0;
        for (int tick = 1; tick <= 500; tick++) {
            now[0] += 200_000_000L;
            if (tick % 45 == 0) {
                bytes++;
            }
            assertEquals(null, check.sample(bytes), "tick " + tick);
        }
        now[0] += 10_200_000_000L;
        assertTrue(check.sample(bytes).contains("stalled"));
    }
}
