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
 * ({@code SST_FAULT=move_back.started:fail,abort.started:fail}); {@code wait=<file>} pauses
 * there until the test creates that file (to fill a disk at an exact moment, say).
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
            int colon2 = s.indexOf(':');
            String action = colon2 < 0 ? "halt" : s.substring(colon2 + 1);
            if (!action.equals("halt") && !action.equals("block") && !action.equals("fail") && !action.startsWith("wait=")) {
                throw new IllegalArgumentException(VARIABLE + ": unknown action '" + action + "' in '" + s
                        + "' (use halt, block, fail or wait=<file>)");
            }
            actions.put(colon2 < 0 ? s : s.substring(0, colon2), action);
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

    /** Pauses until the test creates the file (at most ten minutes), then goes on as if nothing happened. */
    private static void awaitFile(java.nio.file.Path file) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!java.nio.file.Files.exists(file) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
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
        if (action.startsWith("wait=")) {
            awaitFile(java.nio.file.Path.of(action.substring("wait=".length())));
            return;
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
