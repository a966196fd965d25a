package org.sstorchestrator.cli.log;

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
import org.sstorchestrator.states.exec.SyslogSink;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.text.Printable;

/**
 * stderr lines in the shape operators grep mysqld's error log for:
 * {@code WSREP_SST: [INFO] joiner 1f2e3d4c/prepare: message (20261120 23:51:46.123)}, and the stock
 * script's own lines as it prints them, {@code WSREP_SST: [INFO] Proceeding with SST (...)};
 * or, in syslog mode ({@link #toSyslog}), the same lines to syslog. SLF4J is bound to
 * java.util.logging; this is its only handler.
 */
public final class SstLogFormat extends Formatter {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord r) {
        StringBuilder out = new StringBuilder("WSREP_SST: [").append(level(r)).append("] ");
        out.append(body(r)).append(" (").append(TS.format(r.getInstant())).append(")\n");
        if (r.getThrown() != null && r.getLevel().intValue() < Level.INFO.intValue()) {
            java.io.StringWriter sw = new java.io.StringWriter();
            r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
            out.append(sw);
        }
        return out.toString();
    }

    private static String level(LogRecord r) {
        return r.getLevel().intValue() >= Level.SEVERE.intValue() ? "ERROR"
                : r.getLevel().intValue() >= Level.WARNING.intValue() ? "WARNING"
                : r.getLevel().intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
    }

    /**
     * The line without its level and time: {@code joiner 1f2e3d4c/prepare: message}; a line of
     * the stock script's ({@link StockLine#LOGGER}) goes without our prefix, exactly as the stock
     * script prints it (issue 19).
     */
    private String body(LogRecord r) {
        StringBuilder out = new StringBuilder();
        String role = MDC.get("role");
        String run = MDC.get("run");
        if (run != null && !StockLine.LOGGER.equals(r.getLoggerName())) {
            out.append(role).append(' ').append(run, 0, Math.min(8, run.length()));
            String stage = MDC.get("stage");
            out.append(stage == null ? "" : "/" + stage).append(": ");
        }
        // one record, one line: text from the peer in a message never forges a line of its own
        return out.append(Printable.escape(formatMessage(r))).toString();
    }

    /**
     * Syslog mode, as the stock script switches to it once it has read its configuration:
     * from here on every line goes to syslog instead of stderr, through {@code sink} under
     * {@code <tag>wsrep-sst-<role>} ({@code name}), at daemon.err, daemon.warning or
     * daemon.info, without the {@code WSREP_SST: [LEVEL]} prefix and time that syslog adds
     * itself. A line logger could not take still reaches {@code fallback} (mysqld's error log).
     */
    public static void toSyslog(SyslogSink sink, String name, PrintStream fallback) {
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        SstLogFormat format = new SstLogFormat();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (!isLoggable(r)) {
                    return;
                }
                String lvl = level(r);
                SyslogSink.Priority p = switch (lvl) {
                    case "ERROR" -> SyslogSink.Priority.ERR;
                    case "WARNING" -> SyslogSink.Priority.WARNING;
                    case "INFO" -> SyslogSink.Priority.INFO;
                    default -> SyslogSink.Priority.DEBUG;
                };
                if (!sink.line(p, name, format.body(r))) {
                    fallback.print(format.format(r));
                    fallback.flush();
                }
            }

            @Override
            public void flush() {
                fallback.flush();
            }

            @Override
            public void close() {
            }
        };
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.setLevel(level);
    }

    /** Routes all logging to {@code err}; {@code debug} turns on DEBUG lines and stack traces. */
    public static void install(PrintStream err, boolean debug) {
        if (LogManager.getLogManager() instanceof SstLogManager m) {
            m.configure(); // and the handler below outlives the JVM's shutdown reset
        } else {
            LogManager.getLogManager().reset();
        }
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
