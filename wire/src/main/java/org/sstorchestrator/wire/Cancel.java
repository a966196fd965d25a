package org.sstorchestrator.wire;

import java.io.Closeable;

/**
 * The program's way of stopping whatever a transfer is blocked in (a watchdog, a signal): a
 * transfer registers its connection here while it is open, so that closing it makes a blocked
 * accept, read or write return at once. A stalled copy asks for the stop itself
 * ({@link #trigger}), and after any failure that may have been the stop's doing, the stop's
 * own reason is thrown instead ({@link #check}).
 */
public interface Cancel {

    /** Nothing stops the transfer but its own end: for tests and tools. */
    Cancel NONE = new Cancel() {
        @Override
        public void register(Closeable c) {
        }

        @Override
        public void unregister(Closeable c) {
        }

        @Override
        public void trigger(WireException why) {
            throw why;
        }

        @Override
        public void check() {
        }
    };

    void register(Closeable c);

    void unregister(Closeable c);

    /** Stops everything registered, for {@code why}. */
    void trigger(WireException why);

    /** Throws the reason of a stop, if there was one. */
    void check();
}
