package org.sstorchestrator.states;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sstorchestrator.engine.FaultPoints;
import org.sstorchestrator.states.args.Credentials;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildListener;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.joiner.FromDonor;
import org.sstorchestrator.states.joiner.Listening;
import org.sstorchestrator.states.layout.FileTree;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.text.Secret;
import org.sstorchestrator.states.wire.ControlChannel;
import org.sstorchestrator.states.transfer.Transfers;
import org.sstorchestrator.states.wire.GaleraInfo;

/**
 * A real {@link SstContext} for one stage test, faked only at the process boundary: a temp
 * datadir, a PATH holding nothing but stand-in scripts for the tools ({@code mariadb-backup},
 * {@code mbstream}, ...) that record every call, real {@link ChildProcesses}, an in-memory
 * {@link RunRecorder} (a port) and the control channel over a byte buffer. A stage test puts
 * the facts its stage needs into {@code ctx.facts()}, runs the stage and checks outcome, disk,
 * record, control lines and facts. The peer, where a stage has one, is a loopback socket
 * ({@link LoopbackPeer}) speaking the wire protocol.
 *
 * <p>A stage test holds one per test as a JUnit extension, instead of a set-up of its own:
 * {@code @RegisterExtension final StageFixture f = new StageFixture();} makes the fixture in a
 * new temporary directory when JUnit makes the test's instance (before its {@code @BeforeEach}
 * methods, which add what their stage needs), and deletes that directory after the test.
 *
 * <p>Timeouts are small by default (2 s, in whole seconds as [sst] takes them); stages whose
 * timeouts run on the run's clock ({@code ctx.nanos}: stall checks, the donor's connect, the
 * joiner's second accept) can be sped up with {@link #clockRunningTimesFaster}.
 */
public final class StageFixture implements AfterEachCallback {

    /** A donor position: what mysqld passes the donor as --gtid. */
    public static final String GTID = "6aa82394-e53e-11f1-9d1a-a25450683f20:5";
    public static final String POSITION = GTID + " 0";

    public final Path root;
    public final Path datadir;
    /** The only directory on the stages' PATH: the stand-ins live here, with their call records. */
    public final Path bin;
    /** [sst] tmpdir: where the stages' temporary directories go. */
    public final Path tmpdir;
    public final Recorder recorder = new Recorder();
    public final Abort abort = new Abort();
    private final ByteArrayOutputStream control = new ByteArrayOutputStream();
    private final Map<String, Map<String, String>> options = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private Credentials credentials = Credentials.NONE;
    private LongSupplier nanos = System::nanoTime;
    private final String runId = java.util.UUID.randomUUID().toString();

    /** A fixture in a new temporary directory, {@link #root}, which is deleted after the test. */
    public StageFixture() {
        try {
            this.root = Files.createTempDirectory("stage-test-");
            this.datadir = Files.createDirectories(root.resolve("data"));
            this.bin = Files.createDirectories(root.resolve("bin"));
            this.tmpdir = Files.createDirectories(root.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the stage test's directories in java.io.tmpdir", e);
        }
        option("sst", "sst-initial-timeout", "2");
        option("sst", "sst-idle-timeout", "2");
        option("sst", "sst-connect-timeout", "2");
        option("sst", "sst-log-archive", "0");
        option("sst", "tmpdir", tmpdir.toString());
    }

    /** As JUnit's {@code @TempDir} would: the test's directory goes once the test is over, passed or failed. */
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        FileTree.delete(root);
    }

    // ---- the run's inputs ----

    /** Sets a my.cnf option, as my_print_defaults would print it for {@code group}. */
    public StageFixture option(String group, String name, String value) {
        options.computeIfAbsent(group, g -> new HashMap<>()).put(name, value);
        return this;
    }

    /** Sets a variable of the environment mysqld starts the run with (INNODB_DATA_HOME_DIR, say). */
    public StageFixture env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * my.cnf as my_print_defaults prints it, for tests of the option rules alone:
     * {@code "mysqld.log-bin=x"}, {@code "mysqld.log_bin"} (bare); '_' is '-' and a
     * {@code loose-} prefix does not count, as OptionFiles reads the lines.
     */
    public static OptionFiles options(String... groupNameValue) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : groupNameValue) {
            int dot = s.indexOf('.');
            int eq = s.indexOf('=');
            String name = (eq < 0 ? s.substring(dot + 1) : s.substring(dot + 1, eq)).replace('_', '-')
                    .replaceFirst("^loose-", "");
            g.computeIfAbsent(s.substring(0, dot), k -> new HashMap<>()).put(name, eq < 0 ? "" : s.substring(eq + 1));
        }
        return new OptionFiles(g);
    }

    public StageFixture credentials(String user, String password) {
        credentials = new Credentials(user, Secret.of(password));
        return this;
    }

    /** The run's monotonic clock runs {@code factor} times faster than real time (its timeouts expire sooner). */
    public StageFixture clockRunningTimesFaster(long factor) {
        long base = System.nanoTime();
        nanos = () -> base + (System.nanoTime() - base) * factor;
        return this;
    }

    /** The run's monotonic clock leaps {@code stepNanos} at every reading. */
    public StageFixture clockLeaping(long stepNanos) {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        nanos = () -> now.addAndGet(stepNanos);
        return this;
    }

    public String runId() {
        return runId;
    }

    /** A joiner's context: {@code --role joiner --address 127.0.0.1 --datadir <datadir>}, then {@code extra} (later wins). */
    public SstContext joiner(String... extra) {
        List<String> argv = new ArrayList<>(List.of("--role", "joiner", "--address", "127.0.0.1", "--datadir",
                datadir.toString()));
        argv.addAll(List.of(extra));
        return context(argv.toArray(String[]::new));
    }

    /** A donor's context, sending to a joiner at {@code joinerPort} that speaks sst_ver 1, at {@link #GTID}. */
    public SstContext donor(int joinerPort, String... extra) {
        List<String> argv = new ArrayList<>(List.of("--role", "donor", "--address",
                "127.0.0.1:" + joinerPort + "/xtrabackup_sst//1", "--datadir", datadir.toString(), "--gtid", GTID,
                "--gtid-domain-id", "0"));
        argv.addAll(List.of(extra));
        return context(argv.toArray(String[]::new));
    }

    public SstContext context(String... argv) {
        ChildProcesses children = new ChildProcesses(recorder, abort);
        SstArguments args = SstArguments.parse(argv);
        SstContext ctx = new SstContext(runId, args, SstConfig.from(new OptionFiles(options), args.role(),
                org.sstorchestrator.states.config.TestHooks.from(env, new java.util.ArrayList<>())), credentials,
                env, new SstContext.Services(new Tools(bin.toString()), children, abort,
                        new ControlChannel(new PrintStream(control, true, StandardCharsets.UTF_8)), recorder,
                        System::currentTimeMillis, nanos, FaultPoints.none()));
        // what preflight gives every later stage: here the settings alone, no TLS channel (TLS has its own tests)
        ctx.facts().put(Transfers.of(ctx, Optional.empty()));
        return ctx;
    }

    /** What the stage printed to mysqld, line by line. */
    public List<String> printed() {
        return control.toString(StandardCharsets.UTF_8).lines().toList();
    }

    // ---- stand-ins on PATH ----

    /**
     * Writes {@code bin/<name>}: a shell script that appends its argv (one word a line, then
     * {@code --}) to {@code bin/<name>.argv}, its working directory to {@code .cwd} and its
     * MYSQL_PWD (or {@code <unset>}) to {@code .env}, then runs {@code body}. A stand-in that
     * must die with the run {@code exec}s its long-running command: {@link Abort#killChildren}
     * kills the descendants it sees at that instant, and a grandchild the shell forks meanwhile
     * escapes (and holds the log pipe for 10 s).
     */
    public Path standIn(String name, String body) throws IOException {
        Path script = bin.resolve(name);
        String record = bin.resolve(name).toString();
        Files.writeString(script, "#!/bin/sh\n"
                + "# a stand-in for " + name + ": records its call, then plays its part\n"
                + "{ for a in \"$@\"; do printf '%s\\n' \"$a\"; done; echo '--'; } >> '" + record + ".argv'\n"
                + "pwd >> '" + record + ".cwd'\n"
                + "printf '%s\\n' \"${MYSQL_PWD-<unset>}\" >> '" + record + ".env'\n"
                + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** A stand-in that exits 0 having done nothing else. */
    public Path standIn(String name) throws IOException {
        return standIn(name, "exit 0");
    }

    /** The argv of each call of stand-in {@code name}, in order (the program itself not included). */
    public List<List<String>> calls(String name) throws IOException {
        Path record = bin.resolve(name + ".argv");
        List<List<String>> out = new ArrayList<>();
        if (!Files.exists(record)) {
            return out;
        }
        List<String> current = new ArrayList<>();
        for (String line : Files.readAllLines(record)) {
            if (line.equals("--")) {
                out.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        return out;
    }

    /** The argv of the one call of stand-in {@code name}; fails unless it ran exactly once. */
    public List<String> onlyCall(String name) throws IOException {
        List<List<String>> calls = calls(name);
        if (calls.size() != 1) {
            throw new AssertionError(name + " ran " + calls.size() + " times, not once: " + calls);
        }
        return calls.get(0);
    }

    public List<String> workingDirectories(String name) throws IOException {
        Path record = bin.resolve(name + ".cwd");
        return Files.exists(record) ? Files.readAllLines(record) : List.of();
    }

    public List<String> passwordsSeen(String name) throws IOException {
        Path record = bin.resolve(name + ".env");
        return Files.exists(record) ? Files.readAllLines(record) : List.of();
    }

    /** Runs {@code stage} expecting it to fail with {@code code}; returns the failure for its message. */
    public static SstException failsWith(ExitCode code, org.junit.jupiter.api.function.Executable stage) {
        Throwable t = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, stage);
        if (!(t instanceof SstException) && !(t instanceof org.sstorchestrator.wire.WireException)) {
            throw new AssertionError("expected the SST's or the wire's failure, got " + t, t);
        }
        SstException e = Failures.of((RuntimeException) t); // as the runner's classifier maps it
        org.junit.jupiter.api.Assertions.assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    // ---- facts and files ----

    /** A listening socket on the loopback, as {@link org.sstorchestrator.states.joiner.Listen} gives it. */
    public Listening listening() throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        abort.register(server);
        return new Listening(server, Optional.empty());
    }

    /** What transfer 1 from a donor on 127.0.0.1 gives: its position and, when not null, its total. */
    public static FromDonor fromDonor(Long total, boolean ist) throws IOException {
        return new FromDonor(new GaleraInfo(POSITION, Optional.empty(), Optional.ofNullable(total), Optional.empty()),
                InetAddress.getByName("127.0.0.1"), ist);
    }

    public Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** A file of {@code size} bytes that takes no room on disk: sizes that matter, without writing them. */
    public static Path sparse(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    public static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    // ---- the record ----

    /** The run's record, in memory: what a stage told the {@link RunRecorder} port, and every child it ran. */
    public static final class Recorder implements RunRecorder, ChildListener {

        public record Child(List<String> argv, Integer exitCode, String log) {
        }

        public record Transfer(String what, long bytes, boolean complete) {
        }

        public final List<Child> children = new CopyOnWriteArrayList<>();
        public final List<Transfer> transfers = new CopyOnWriteArrayList<>();
        public final List<String> notes = new CopyOnWriteArrayList<>();
        public final Map<String, String> attributes = new ConcurrentHashMap<>();
        public final List<Long> progress = Collections.synchronizedList(new ArrayList<>());
        /** Every child as it started, to see whether it is still running. */
        public final List<ProcessHandle> started = new CopyOnWriteArrayList<>();

        @Override
        public void child(List<String> maskedArgv, Integer exitCode, long startedMs, long endedMs, String logPath) {
            children.add(new Child(List.copyOf(maskedArgv), exitCode, logPath));
        }

        @Override
        public void ended(Command command, Integer exitCode, long startedMs, long endedMs) {
            child(command.maskedArgv(), exitCode, startedMs, endedMs,
                    command.logFile() == null ? null : command.logFile().toString());
        }

        @Override
        public void started(Command command, ProcessHandle process) {
            started.add(process);
        }

        @Override
        public void transfer(String what, long bytes, long startedMs, long endedMs, boolean complete) {
            transfers.add(new Transfer(what, bytes, complete));
        }

        @Override
        public void note(String kind, String detail) {
            notes.add(kind + ": " + detail);
        }

        @Override
        public void attribute(String name, String value) {
            attributes.put(name, value);
        }

        @Override
        public void progress(long bytes, Long total) {
            progress.add(bytes);
        }
    }
}
