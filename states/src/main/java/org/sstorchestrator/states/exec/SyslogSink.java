package org.sstorchestrator.states.exec;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Syslog the way the stock script reaches it, through {@code logger}, run from an argv and
 * never through a shell: one {@code logger -p daemon.<priority> -t <tag> -- <message>} per
 * line of the SST's own, and one long-lived {@code logger -p daemon.err -t <tag>} reading a
 * child's output on its stdin (a line is a message). Syslog never fails an SST: a logger that
 * cannot be started or dies is reported to the caller ({@link #line} returns false) or
 * silently dropped from a child's output, whose log file is written all the same.
 */
public final class SyslogSink {

    /** syslog priorities the script uses (daemon facility). */
    public enum Priority {
        ERR, WARNING, INFO, DEBUG;

        String level() {
            return "daemon." + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How long one line's logger may take before it is given up (it only hands a datagram to syslogd). */
    private static final long LINE_WAIT_MS = 5_000;

    private final Path logger;
    private final String tagPrefix;

    /** {@code tagPrefix}: what goes before the script's own tag names, its '-' included ({@code "mytag-"}, or {@code "-"}). */
    public SyslogSink(Path logger, String tagPrefix) {
        this.logger = logger;
        this.tagPrefix = tagPrefix;
    }

    /** {@code <tag prefix><name>}: {@code -wsrep-sst-joiner}, {@code mytag-innobackupex-apply}. */
    public String tag(String name) {
        return tagPrefix + name;
    }

    /** One message; false when logger could not be run or failed, so the caller can say it elsewhere. */
    public boolean line(Priority p, String name, String message) {
        ProcessBuilder pb = new ProcessBuilder(List.of(logger.toString(), "-p", p.level(), "-t", tag(name), "--", message))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        withhold(pb.environment());
        try {
            Process proc = pb.start();
            if (!proc.waitFor(LINE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                proc.destroyForcibly();
                return false;
            }
            return proc.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A logger that takes a child's output on its stdin, one message a line, at daemon.err as
     * the script pipes mariadb-backup's output. Closing the stream ends it (waited for, within
     * a bound). Never throws on write: a logger gone away just stops receiving.
     */
    public OutputStream stream(String name) {
        ProcessBuilder pb = new ProcessBuilder(List.of(logger.toString(), "-p", Priority.ERR.level(), "-t", tag(name)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        withhold(pb.environment());
        try {
            return new ChildInput(pb.start());
        } catch (IOException e) {
            return OutputStream.nullOutputStream();
        }
    }

    private static void withhold(Map<String, String> env) {
        for (String w : ChildProcesses.WITHHELD) {
            env.remove(w);
        }
    }

    /** A logger child's stdin that swallows its failures: syslog must never fail a step. */
    private static final class ChildInput extends OutputStream {
        private final Process process;
        private final OutputStream in;
        private boolean broken;

        ChildInput(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (broken) {
                return;
            }
            try {
                in.write(b, off, len);
            } catch (IOException e) {
                broken = true;
            }
        }

        @Override
        public synchronized void flush() {
            if (!broken) {
                try {
                    in.flush();
                } catch (IOException e) {
                    broken = true;
                }
            }
        }

        @Override
        public synchronized void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // gone already
            }
            try {
                if (!process.waitFor(LINE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
