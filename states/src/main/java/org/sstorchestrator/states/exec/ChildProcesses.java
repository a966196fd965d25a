package org.sstorchestrator.states.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteStreamHandler;
import org.apache.commons.exec.PumpStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * Runs child processes with commons-exec from argv arrays: every argument is added with
 * {@code handleQuoting=false}, because commons-exec's default quoting rewrites or rejects
 * values that contain quotes. Secrets reach children only through their environment.
 */
public final class ChildProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcesses.class);
    /** Variables of ours a child has no business seeing. */
    static final String[] WITHHELD = {"WSREP_SST_OPT_AUTH", "WSREP_SST_OPT_REMOTE_AUTH", "MYSQL_PWD"};

    private final ChildListener listener;
    private final Abort abort;
    private volatile SyslogSink syslog;

    public ChildProcesses(ChildListener listener, Abort abort) {
        this.listener = listener;
        this.abort = abort;
    }

    /**
     * Syslog mode: from now on the output of every command that has a syslog name also goes to
     * syslog, through {@code sink}. Its log file is written all the same: we judge a step's
     * failure from it, and keep it in the run's history.
     */
    public void toSyslog(SyslogSink sink) {
        this.syslog = sink;
    }

    public java.util.Optional<SyslogSink> syslog() {
        return java.util.Optional.ofNullable(syslog);
    }

    /** Runs to completion with stdout and stderr appended to the command's log file; returns the exit code. */
    public int run(Command c) {
        try (OutputStream file = logStream(c); OutputStream sys = syslogStream(c)) {
            OutputStream log = Tee.of(file, sys);
            Started s = start(c, new PumpStreamHandler(log, log, null));
            return s.waitFor();
        } catch (IOException e) {
            throw new SstException(ExitCode.EINVAL, "cannot write " + c.logFile() + ": " + e.getMessage(), e);
        }
    }

    /** Runs to completion and returns stdout; stderr goes to the log file if the command has one. */
    public Captured capture(Command c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Started s = start(c, new PumpStreamHandler(out, err, null));
        int code = s.waitFor();
        return new Captured(code, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    public record Captured(int exitCode, String stdout, String stderr) {
    }

    /**
     * Starts a child whose stdin and stdout we copy ourselves (a large-buffer copy loop is
     * what measured fastest, docs/jvm-and-libraries.md#child-processes-and-the-copy-loop);
     * stderr is appended to the log file.
     */
    public Streaming stream(Command c) {
        RawStreams raw = new RawStreams(c.logFile(), syslogStream(c));
        Started s = start(c, raw);
        try {
            if (!raw.ready.await(30, TimeUnit.SECONDS)) {
                throw new SstException(ExitCode.GENERIC, c.name() + " started but its streams never appeared");
            }
            // commons-exec hands us the process after the streams, on its own thread: wait for the
            // record of its start too, so no caller sees a child the history does not have yet
            if (!s.launched.recorded.await(30, TimeUnit.SECONDS)) {
                throw new SstException(ExitCode.GENERIC, c.name() + " started but was never handed over to be recorded");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SstException(ExitCode.INTERRUPTED, "interrupted while starting " + c.name());
        }
        return new Streaming(s, raw);
    }

    private Started start(Command c, ExecuteStreamHandler handler) {
        abort.check();
        CommandLine line = new CommandLine(c.program().toString());
        for (String a : c.args()) {
            line.addArgument(a, false);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        for (String w : WITHHELD) {
            env.remove(w);
        }
        c.secretEnv().forEach((k, v) -> env.put(k, v.reveal()));
        DefaultExecutor executor = DefaultExecutor.builder()
                .setExecuteStreamHandler(handler)
                .setWorkingDirectory(c.workdir() == null ? Path.of(".").toAbsolutePath() : c.workdir())
                .get();
        executor.setExitValues(null); // we judge exit codes ourselves
        // commons-exec hands the launched Process to its destroyer: the one place we learn its pid.
        Launched launched = new Launched(c);
        executor.setProcessDestroyer(launched);
        Result result = new Result();
        long started = System.currentTimeMillis();
        LOG.debug("running {}", c.maskedArgv());
        try {
            executor.execute(line, env, result);
        } catch (IOException e) {
            listener.ended(c, null, started, System.currentTimeMillis());
            throw new SstException(ExitCode.ENOENT, "cannot start " + c.program() + ": " + e.getMessage(), e);
        }
        return new Started(c, result, started, launched);
    }

    /**
     * Records each child as it starts (pid and start time) with the listener. Not a destroyer:
     * killing children is {@link Abort}'s business; commons-exec only tells us about the launch here.
     */
    private final class Launched implements org.apache.commons.exec.ProcessDestroyer {
        private final Command command;
        private volatile Process process;
        /** Counted down once the listener has been told of the start (or failed to record it). */
        final CountDownLatch recorded = new CountDownLatch(1);

        Launched(Command command) {
            this.command = command;
        }

        @Override
        public boolean add(Process process) {
            this.process = process;
            try {
                listener.started(command, process.toHandle());
            } catch (RuntimeException e) {
                LOG.warn("could not record the start of {}: {}", command.name(), e.getMessage());
            } finally {
                recorded.countDown();
            }
            return true;
        }

        @Override
        public boolean remove(Process process) {
            return true;
        }

        @Override
        public int size() {
            return 0;
        }
    }

    /**
     * A child's end, told the moment it comes. commons-exec's own DefaultExecuteResultHandler
     * polls every 50 ms: with my_print_defaults run once per option group that was a quarter
     * of a second of every SST's start-up, measured from the class-load timeline.
     */
    static final class Result implements ExecuteResultHandler {
        final CountDownLatch done = new CountDownLatch(1);
        volatile int exitValue = org.apache.commons.exec.Executor.INVALID_EXITVALUE;
        volatile ExecuteException failure;

        @Override
        public void onProcessComplete(int exitValue) {
            this.exitValue = exitValue;
            done.countDown();
        }

        @Override
        public void onProcessFailed(ExecuteException e) {
            this.exitValue = e.getExitValue();
            this.failure = e;
            done.countDown();
        }
    }

    /** A launched child; {@link #waitFor()} records it with the listener once. */
    public final class Started {
        private final Command command;
        private final Result result;
        private final long startedMs;
        private final Launched launched;

        Started(Command command, Result result, long startedMs, Launched launched) {
            this.command = command;
            this.result = result;
            this.startedMs = startedMs;
            this.launched = launched;
        }

        /** Kills this child and its descendants (SIGKILL); its exit code is then recorded as usual. */
        void kill() {
            Process p = launched.process;
            if (p != null) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }

        /** Waits up to {@code millis} for the child process itself to exit (not for our bookkeeping). */
        boolean awaitExit(long millis) throws InterruptedException {
            Process p = launched.process;
            return p == null || p.waitFor(millis, TimeUnit.MILLISECONDS);
        }

        public int waitFor() {
            try {
                result.done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                Abort.killChildren();
                throw new SstException(ExitCode.INTERRUPTED, "interrupted while waiting for " + command.name());
            }
            int code = result.exitValue;
            if (result.failure != null && code == org.apache.commons.exec.Executor.INVALID_EXITVALUE) {
                listener.ended(command, null, startedMs, System.currentTimeMillis());
                throw new SstException(ExitCode.ENOENT, command.name() + " could not run: "
                        + result.failure.getMessage());
            }
            listener.ended(command, code, startedMs, System.currentTimeMillis());
            LOG.debug("{} exited with {}", command.name(), code);
            return code;
        }
    }

    /** A streaming child: its stdin and stdout, and its exit code once we are done with them (also a filter of the wire). */
    public static final class Streaming implements org.sstorchestrator.wire.compress.ChildFilterLayer.Child {
        private final Started started;
        private final RawStreams raw;

        Streaming(Started started, RawStreams raw) {
            this.started = started;
            this.raw = raw;
        }

        @Override
        public InputStream stdout() {
            return raw.stdout;
        }

        @Override
        public OutputStream stdin() {
            return raw.stdin;
        }

        /** Kills the child (and what it started): for a filter whose other end failed. */
        @Override
        public void kill() {
            started.kill();
        }

        /** Waits up to {@code millis} for the child to exit; true once it has. Call {@link #finish()} after. */
        @Override
        public boolean awaitExit(long millis) throws InterruptedException {
            return started.awaitExit(millis);
        }

        public String name() {
            return started.command.name();
        }

        /** Call when our copy loop is done with the streams; then waits for the exit code. */
        @Override
        public int finish() {
            try {
                raw.stdin.close();
            } catch (IOException ignored) {
                // the child may have exited already
            }
            raw.consumerDone.countDown();
            return started.waitFor();
        }
    }

    /**
     * Hands the child's raw streams to our copy loop. commons-exec calls {@code stop()} after
     * the child exits and then closes the streams, so {@code stop()} blocks until our loop has
     * drained stdout (a run lost its last 851,968 bytes otherwise,
     * docs/jvm-and-libraries.md#child-processes-and-the-copy-loop).
     */
    static final class RawStreams implements ExecuteStreamHandler {
        private final Path log;
        private final OutputStream syslog;
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch consumerDone = new CountDownLatch(1);
        volatile InputStream stdout;
        volatile OutputStream stdin;
        private volatile InputStream stderr;
        private Thread stderrPump;

        RawStreams(Path log, OutputStream syslog) {
            this.log = log;
            this.syslog = syslog;
        }

        @Override
        public void setProcessInputStream(OutputStream os) {
            stdin = os;
        }

        @Override
        public void setProcessOutputStream(InputStream is) {
            stdout = is;
        }

        @Override
        public void setProcessErrorStream(InputStream is) {
            stderr = is;
        }

        @Override
        public void start() {
            stderrPump = new Thread(() -> {
                try (OutputStream file = log == null ? OutputStream.nullOutputStream()
                        : Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                     OutputStream sys = syslog) {
                    stderr.transferTo(Tee.of(file, sys));
                } catch (IOException ignored) {
                    // the child went away; its exit code tells the story
                }
            }, "child-stderr");
            stderrPump.setDaemon(true);
            stderrPump.start();
            ready.countDown();
        }

        @Override
        public void stop() {
            try {
                consumerDone.await();
                stderrPump.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The syslog side of a command's output, or null when it has none (not in syslog mode, or no syslog name). */
    private OutputStream syslogStream(Command c) {
        SyslogSink sink = syslog;
        return sink == null || c.syslogName() == null ? null : sink.stream(c.syslogName());
    }

    /** Writes to a log file and, when there is one, to syslog; writes are whole, so two pumps do not split each other's. */
    private static final class Tee extends OutputStream {
        private final OutputStream file;
        private final OutputStream syslog;

        private Tee(OutputStream file, OutputStream syslog) {
            this.file = file;
            this.syslog = syslog;
        }

        static OutputStream of(OutputStream file, OutputStream syslog) {
            return syslog == null ? file : new Tee(file, syslog);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            file.write(b, off, len);
            syslog.write(b, off, len); // never throws: see SyslogSink
        }

        @Override
        public synchronized void flush() throws IOException {
            file.flush();
            syslog.flush();
        }
    }

    private static OutputStream logStream(Command c) throws IOException {
        if (c.logFile() == null) {
            return OutputStream.nullOutputStream();
        }
        return Files.newOutputStream(c.logFile(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
