package org.sstorchestrator.engine;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Named crash points for tests. They do nothing unless the environment variable
 * {@value #VARIABLE} names them: {@code SST_FAULT=prepare.started:halt} makes the process die
 * like {@code kill -9} at that point (no shutdown hooks, no cleanup); {@code :block} makes it
 * hang there so a test can kill it or its parent from outside.
 */
public final class FaultPoints {

    public static final String VARIABLE = "SST_FAULT";
    /** The exit status a halted process reports, so tests can tell it from a real failure. */
    public static final int HALT_STATUS = 137;

    private final String point;
    private final String action;

    private FaultPoints(String spec) {
        if (spec == null || spec.isBlank()) {
            point = null;
            action = null;
        } else {
            int colon = spec.lastIndexOf(':');
            point = colon < 0 ? spec : spec.substring(0, colon);
            action = colon < 0 ? "halt" : spec.substring(colon + 1);
        }
    }

    public static FaultPoints fromEnvironment(Map<String, String> env) {
        return new FaultPoints(env.get(VARIABLE));
    }

    public static FaultPoints none() {
        return new FaultPoints(null);
    }

    public void hit(String name) {
        if (point == null || !point.equals(name)) {
            return;
        }
        if ("block".equals(action)) {
            try {
                TimeUnit.DAYS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime.getRuntime().halt(HALT_STATUS);
    }
}
