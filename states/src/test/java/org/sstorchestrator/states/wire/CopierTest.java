package org.sstorchestrator.states.wire;

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
import org.sstorchestrator.states.exec.Abort;

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
        long total = Copier.copy(in, new ByteArrayOutputStream(), Duration.ofSeconds(30), "test stream", new Abort(),
                new AtomicLong(), bytes -> {
                    sampling.countDown();
                    try {
                        Thread.sleep(300); // a slow write to the history
                        seen.add("sample " + bytes);
                    } catch (InterruptedException e) {
                        seen.add("interrupted");
                    }
                });
        assertEquals(1000, total);
        assertTrue(!seen.contains("interrupted"), "a sample was interrupted mid-write: " + seen);
        assertEquals("sample 1000", seen.get(seen.size() - 1), "the final count comes last: " + seen);
    }
}
