package org.sstorchestrator.wire;

import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection when its whole exchange has taken too long, which a per-read socket
 * timeout cannot enforce: a peer that sends one byte just before each read times out keeps
 * the reader waiting for ever. {@link #expired()} tells the close from any other failure.
 */
public final class Deadline {

    /** No deadline: the exchange may take as long as it takes (a timeout of 0 means for ever). */
    public static final Deadline NONE = new Deadline(null);

    private final ScheduledExecutorService timer;
    private volatile boolean expired;

    private Deadline(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static Deadline closing(Closeable connection, Duration after) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deadline");
            t.setDaemon(true);
            return t;
        });
        Deadline d = new Deadline(timer);
        timer.schedule(() -> {
            d.expired = true;
            try {
                connection.close();
            } catch (java.io.IOException ignored) {
                // closing to end the exchange: nothing else to do
            }
        }, after.toMillis(), TimeUnit.MILLISECONDS);
        return d;
    }

    public boolean expired() {
        return expired;
    }

    public void cancel() {
        if (timer != null) {
            timer.shutdownNow(); // the task only closes a socket: an interrupt harms nothing here
        }
    }
}
