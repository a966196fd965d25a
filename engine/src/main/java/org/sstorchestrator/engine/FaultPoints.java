package org.sstorchestrator.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Named fault points for tests. They do nothing unless the environment variable
 * {@value #VARIABLE} names them, as a comma-separated list of {@code point:action}:
 * {@code halt} (the default) makes the process die like {@code kill -9} at that point (no
 * shutdown hooks, no cleanup); {@code block} makes it hang there so a test can kill it or its
 * parent from outside; {@code fail} throws there, as if the stage's own work had failed, so
 * every failure edge of a table can be taken in a real run
 * ({@code SST_FAULT=move_back.started:fail,abort.started:fail}).
 */
public final class FaultPoints {

    public static final String VARIABLE = "SST_FAULT";
    /** The exit status a halted process reports, so tests can tell it from a real failure. */
    public static final int HALT_STATUS = 137;

    private final Map<String, String> actions;

    private FaultPoints(String spec) {
        actions = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return;
        }
        for (String one : spec.split(",")) {
            String s = one.strip();
            int colon = s.lastIndexOf(':');
            String action = colon < 0 ? "halt" : s.substring(colon + 1);
            if (!action.equals("halt") && !action.equals("block") && !action.equals("fail")) {
                throw new IllegalArgumentException(VARIABLE + ": unknown action '" + action + "' in '" + s
                        + "' (use halt, block or fail)");
            }
            actions.put(colon < 0 ? s : s.substring(0, colon), action);
        }
    }

    public static FaultPoints fromEnvironment(Map<String, String> env) {
        return new FaultPoints(env.get(VARIABLE));
    }

    public static FaultPoints none() {
        return new FaultPoints(null);
    }

    /** A failure injected by {@code :fail}; a stage failure like any other to the runner. */
    public static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String point) {
            super("injected failure at " + point + " (" + VARIABLE + ")");
        }
    }

    public void hit(String name) {
        String action = actions.get(name);
        if (action == null) {
            return;
        }
        if (action.equals("fail")) {
            throw new InjectedFailure(name);
        }
        if (action.equals("block")) {
            try {
                TimeUnit.DAYS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime.getRuntime().halt(HALT_STATUS);
    }
}
