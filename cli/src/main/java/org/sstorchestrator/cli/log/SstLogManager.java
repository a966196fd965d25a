package org.sstorchestrator.cli.log;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager, minus its habit of closing every handler when the JVM begins
 * to shut down: a SIGTERM from mysqld runs the abort stage in a shutdown hook, and its lines
 * (what was stopped, what was removed, "interrupted by a signal (exit 3)") belong in mysqld's
 * error log like any other. The launcher names it with -Djava.util.logging.manager.
 */
public final class SstLogManager extends LogManager {

    private volatile boolean configured;

    @Override
    public void reset() {
        if (!configured) {
            super.reset();
        }
    }

    /** Clears the defaults once, before {@link SstLogFormat} adds its handler; later resets keep it. */
    void configure() {
        super.reset();
        configured = true;
    }
}
