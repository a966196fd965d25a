package org.sstorchestrator.states.exec;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sstorchestrator.states.Failures;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.wire.Cancel;
import org.sstorchestrator.wire.WireException;

/**
 * Cancels whatever a run is blocked in. A watchdog (parent death, a signal) calls
 * {@link #trigger}; that closes every registered socket and stream and kills our child
 * processes and their descendants, so a blocked accept, read or wait returns at once and the
 * stage fails with the trigger's reason.
 */
public final class Abort implements Cancel {

    private final List<Closeable> closeables = new CopyOnWriteArrayList<>();
    private volatile SstException reason;

    @Override
    public void register(Closeable c) {
        closeables.add(c);
        if (reason != null) {
            closeQuietly(c);
        }
    }

    @Override
    public void unregister(Closeable c) {
        closeables.remove(c);
    }

    /** A stop the wire asks for (a stalled stream), as the exit code it ends in. */
    @Override
    public void trigger(WireException why) {
        trigger(Failures.of(why));
    }

    public void trigger(SstException why) {
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
        }
        closeables.forEach(Abort::closeQuietly);
        killChildren();
        synchronized (this) {
            notifyAll(); // a run waiting in await() goes on at once
        }
    }

    /** Waits {@code millis}, or until triggered, whichever comes first; true when triggered. */
    public synchronized boolean await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (long left = millis; reason == null && left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
            wait(left);
        }
        return reason != null;
    }

    public boolean triggered() {
        return reason != null;
    }

    /** Throws the trigger's reason if there is one; call after anything that may have been cut short. */
    @Override
    public void check() {
        SstException r = reason;
        if (r != null) {
            throw new SstException(r.code(), r.getMessage());
        }
    }

    /**
     * commons-exec only signals its direct child; grandchildren would outlive us
     * (docs/jvm-and-libraries.md#child-processes-and-the-copy-loop).
     */
    public static void killChildren() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing to unblock: an error here changes nothing
        }
    }
}
