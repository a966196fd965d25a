package org.sstorchestrator.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.sstorchestrator.cli.log.SstLogFormat;
import org.sstorchestrator.cli.run.Classifier;
import org.sstorchestrator.cli.run.RunAssembly;
import org.sstorchestrator.engine.RunResult;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.persistence.OwnerLiveness;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.joiner.FromDonor;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.tls.NativeCrypto;
import org.sstorchestrator.states.wire.ControlChannel;

/**
 * One SST process: reads the arguments and my.cnf once, opens this node's run history,
 * records the run and drives the role's stages. Every way out is an exit code: errors
 * before the history is open are printed once; after that they are recorded at their stage.
 */
public final class SstProcess {

    private static final Logger LOG = LoggerFactory.getLogger(SstProcess.class);
    public static final String VERSION = "0.1.0";

    private final Map<String, String> env;
    private final InputStream stdin;
    private final PrintStream stderr;
    private final Abort abort = new Abort();
    private final String method;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitCode = ExitCode.GENERIC.code();
    private long mainMs;
    /** Set while a second JVM runs this SST (Relaunch): a signal is then passed on, not acted on here. */
    private volatile boolean delegated;

    public SstProcess(Map<String, String> env, InputStream stdin, PrintStream stderr) {
        this(env, stdin, stderr, "wsrep_sst_mariabackup_sm");
    }

    /** {@code script}: the name mysqld ran us by, which the start and end lines name as the stock script does. */
    public SstProcess(Map<String, String> env, InputStream stdin, PrintStream stderr, String script) {
        this.env = env;
        this.stdin = stdin;
        this.stderr = stderr;
        this.method = method(script);
    }

    /**
     * The run's one ERROR line, in the stock shape when its message begins with a stock line
     * that ends the run ("ssl-mode is set to 'REQUIRED', but no usable SSL ..."), then, once the
     * run held the datadir's wsrep_sst.pid ({@code locked}), the stock script's last words of a
     * failed run: its exit trap is set there, so a failure of its configuration or its TLS
     * files ends without them, as ours does.
     */
    private static void runFailed(String message, int code, boolean locked) {
        if (StockLine.beginsRunError(message)) {
            LoggerFactory.getLogger(StockLine.LOGGER).error("{} (exit {})", message, code);
        } else {
            LOG.error("{} (exit {})", message, code);
        }
        if (locked) {
            StockLine.CLEANUP_AFTER_EXIT.log(code);
        }
    }

    /**
     * The stock script's lines of its exit trap, after its last line: what they announce, our
     * cleanup and abort stages have done (and recorded).
     */
    private static void cleanedUp(Role role) {
        if (role == Role.JOINER) {
            StockLine.REMOVING_IN_PROGRESS.log();
        }
        StockLine.CLEANING_TEMPORARY_DIRECTORIES.log();
    }

    /**
     * The method's name as the stock common script derives it from its own: no directory, no
     * extension, no {@code wsrep_sst_}: {@code mariabackup_sm}, or {@code mariabackup} when
     * installed as the stock script.
     */
    static String method(String script) {
        String name = script.substring(script.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        name = dot > 0 ? name.substring(0, dot) : name;
        return name.startsWith("wsrep_sst_") ? name.substring("wsrep_sst_".length()) : name;
    }

    public int run(String[] argv) {
        mainMs = System.currentTimeMillis();
        SstLogFormat.install(stderr, "1".equals(env.get("SST_DEBUG")));
        Runtime.getRuntime().addShutdownHook(new Thread(this::onSignal, "signal"));
        try {
            exitCode = runChecked(argv);
        } catch (RuntimeException e) {
            // outside any stage (arguments, my.cnf, the history itself): mapped like a stage's failure
            org.sstorchestrator.states.exec.Abort.killChildren(); // no abort stage ran: no child outlives us
            SstException s = Classifier.of("setup", e);
            runFailed(s.getMessage(), s.code().code(), false);
            LOG.debug("stack", e);
            exitCode = s.code().code();
        } finally {
            finished.countDown();
        }
        return exitCode;
    }

    private int runChecked(String[] argv) {
        SstArguments args = SstArguments.parse(argv);
        Role role = args.role();
        Path datadir = args.datadir();
        String runId = UUID.randomUUID().toString();
        MDC.put("role", role.label());
        MDC.put("run", runId);
        RunAssembly assembly = new RunAssembly(args, env, abort);
        OptionFiles cnf = assembly.options();
        String relaunchedFrom = System.getProperty(Relaunch.FROM);
        java.util.Optional<List<String>> second = relaunchedFrom != null ? java.util.Optional.empty()
                : Relaunch.thisCommand(Relaunch.needs(cnf, role, NativeCrypto::install));
        if (second.isPresent()) {
            delegated = true; // from here a signal is the second JVM's business (Relaunch passes it on)
            java.util.Optional<Integer> code = Relaunch.run(second.get());
            if (code.isPresent()) {
                return code.get();
            }
            delegated = false;
        } else if (relaunchedFrom != null && relaunchedFrom.matches("\\d{1,19}")) {
            // the JVM mysqld started is the one it signals; killed outright, it takes this run with it
            org.sstorchestrator.states.exec.ParentWatch.watch(Long.parseLong(relaunchedFrom), "the SST process mysqld started",
                    ExitCode.INTERRUPTED, abort);
        }
        long optionsReadMs = System.currentTimeMillis();
        Path historyDir = assembly.historyDir(cnf);
        try (HistoryDatabase db = HistoryDatabase.openForWriting(historyDir)) {
            long historyOpenedMs = System.currentTimeMillis();
            H2RunJournal journal = new H2RunJournal(db, System::currentTimeMillis);
            ProcessHandle self = ProcessHandle.current();
            journal.runStarted(new NewRun(runId, role.label(), datadir.toString(),
                    role == Role.DONOR ? peerOf(args) : null,
                    self.pid(), OwnerLiveness.startOf(self), VERSION, System.currentTimeMillis()));
            journal.owner(runId, self.pid(), OwnerLiveness.startOf(self), "sst");
            journal.runArguments(runId, maskArguments(argv));
            journal.attribute(runId, "method", method);
            recordStartup(journal, runId, optionsReadMs, historyOpenedMs);
            if (relaunchedFrom != null) {
                journal.attribute(runId, "relaunched_from", relaunchedFrom
                        + " (a crypto run the launcher did not see as one; compilers as recorded)");
            }
            noteInterruptedRuns(db, journal, runId, datadir);
            long started = System.nanoTime();
            boolean bypass = args.flag("bypass");
            // the stock script's first and last lines, which operators grep for
            StockLine.STARTED.logWith(" (history " + historyDir + ")", method, bypass ? "IST" : "SST", role.label());
            assembly.syslog(cnf).ifPresent(sink -> {
                StockLine.SYSLOG.log();
                SstLogFormat.toSyslog(sink, "wsrep-sst-" + role.label(), stderr);
            });
            RunAssembly.Run run = assembly.assemble(runId, cnf, journal, historyDir, ControlChannel.stdout(), null, stdin);
            RunResult result = run.execute();
            MDC.remove("stage");
            // the stock script's exit traps are set once it holds wsrep_sst.pid: its closing lines come only then
            boolean locked = run.context() != null && run.context().facts().find(SstLock.class).isPresent();
            int code;
            if (result.completed()) {
                // the joiner's run was an IST when the donor bypassed the SST, whatever mysqld said
                boolean ist = bypass || run.context() != null && run.context().facts().find(FromDonor.class)
                        .map(FromDonor::ist).orElse(false);
                (role == Role.DONOR ? StockLine.TOTAL_TIME_DONOR : StockLine.TOTAL_TIME_JOINER)
                        .log((System.nanoTime() - started) / 1_000_000_000L);
                StockLine.COMPLETED.log(method, ist ? "IST" : "SST", role.label());
                cleanedUp(role);
                code = 0;
            } else {
                runFailed(result.failure().get().message(), result.failure().get().code(), locked);
                if (locked) {
                    cleanedUp(role);
                }
                code = result.failure().get().code();
            }
            // after the donor's last line: mysqld has its answer (sst_sent) and waits for nothing here
            org.sstorchestrator.cli.cluster.ClusterOnEnd.publish(db, run.context(), runId);
            return code;
        }
    }

    /**
     * Where this process's first moments went (launch, main, my.cnf read, history open and
     * migrated), as epoch ms: start-up is on the SST's critical path twice, and these make it
     * measurable from the history (sst-bench's timeline) rather than guessed.
     */
    private void recordStartup(H2RunJournal journal, String runId, long optionsReadMs, long historyOpenedMs) {
        String launched = System.getProperty("sst.launched.us", "");
        if (launched.matches("\\d{10,19}")) { // set by the launcher; the kernel's start time is only as good as btime's second
            journal.attribute(runId, "launched_ms", Long.toString(Long.parseLong(launched) / 1000));
        }
        journal.attribute(runId, "main_ms", Long.toString(mainMs));
        journal.attribute(runId, "options_read_ms", Long.toString(optionsReadMs));
        journal.attribute(runId, "history_opened_ms", Long.toString(historyOpenedMs));
        journal.attribute(runId, "compilers", Relaunch.compilers());
    }

    /** Values of options that carry a secret are never stored, in our arguments or in mysqld's. */
    static List<String> maskArguments(String[] argv) {
        return SstArguments.masked(argv);
    }

    /**
     * Like the stock script's "stale sst_in_progress" note, but exact: runs on this datadir
     * that never ended and whose owner is gone are named, and the finding is recorded.
     */
    private static void noteInterruptedRuns(HistoryDatabase db, H2RunJournal journal, String runId, Path datadir) {
        for (RunSummary old : new HistoryQueries(db).interrupted(datadir.toString())) {
            if (old.id().equals(runId)) {
                continue;
            }
            LOG.warn("run {} on this datadir was interrupted at stage {}; 'sst-admin cleanup {}' lists what it left",
                    old.id().substring(0, 8), old.lastStage(), old.id().substring(0, 8));
            journal.adminAction(old.id(), "found_interrupted", "found by run " + runId + " at its start");
        }
    }

    /** The joiner's host:port for the record, or nothing if the address fails its grammar (preflight says why). */
    private static String peerOf(SstArguments args) {
        try {
            org.sstorchestrator.states.args.SstAddress a = args.address();
            return a.host() + ":" + a.port();
        } catch (SstException e) {
            return null;
        }
    }

    /** SIGTERM/SIGINT: cut the run short, let the abort stage clean once, exit 3 like the stock script. */
    private void onSignal() {
        if (finished.getCount() == 0 || delegated) {
            return;
        }
        abort.trigger(new SstException(ExitCode.INTERRUPTED, "interrupted by a signal"));
        try {
            finished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
    }
}
