package org.sstorchestrator.cli;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.slf4j.MDC;

/**
 * stderr lines in the shape operators grep mysqld's error log for:
 * {@code WSREP_SST: [INFO] joiner 1f2e3d4c/prepare: message (20261120 23:51:46.123)}.
 * SLF4J is bound to java.util.logging; this is its only handler.
 */
public final class SstLogFormat extends Formatter {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord r) {
        String level = r.getLevel().intValue() >= Level.SEVERE.intValue() ? "ERROR"
                : r.getLevel().intValue() >= Level.WARNING.intValue() ? "WARNING"
                : r.getLevel().intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
        StringBuilder out = new StringBuilder("WSREP_SST: [").append(level).append("] ");
        String role = MDC.get("role");
        String run = MDC.get("run");
        if (run != null) {
            out.append(role).append(' ').append(run, 0, Math.min(8, run.length()));
            String stage = MDC.get("stage");
            out.append(stage == null ? "" : "/" + stage).append(": ");
        }
        out.append(formatMessage(r)).append(" (").append(TS.format(r.getInstant())).append(")\n");
        if (r.getThrown() != null && r.getLevel().intValue() < Level.INFO.intValue()) {
            java.io.StringWriter sw = new java.io.StringWriter();
            r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
            out.append(sw);
        }
        return out.toString();
    }

    /** Routes all logging to {@code err}; {@code debug} turns on DEBUG lines and stack traces. */
    public static void install(PrintStream err, boolean debug) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler h = new StreamHandler(err, new SstLogFormat()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.setLevel(debug ? Level.FINE : Level.INFO);
        for (String noisy : new String[] {"org.springframework", "org.flywaydb", "org.h2", "reactor"}) {
            Logger.getLogger(noisy).setLevel(Level.WARNING);
        }
        Logger.getLogger(ConsoleHandler.class.getName()).setLevel(Level.OFF);
    }
}
