package org.sstorchestrator.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.MDC;
import org.sstorchestrator.cli.live.LiveRun;
import org.sstorchestrator.engine.FaultPoints;
import org.sstorchestrator.engine.Machine;
import org.sstorchestrator.engine.RunJournal;
import org.sstorchestrator.engine.RunResult;
import org.sstorchestrator.engine.SpringStatemachineDriver;
import org.sstorchestrator.engine.StageListener;
import org.sstorchestrator.engine.StageRunner;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.args.Credentials;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.config.HistoryLocation;
import org.sstorchestrator.states.config.MachineSizing;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.config.Syslog;
import org.sstorchestrator.states.config.TestHooks;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildListener;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.exec.SyslogSink;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.machine.SstMachines;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.wire.ControlChannel;

/**
 * The one way a run is put together, from its arguments, its environment and its history:
 * the SST entry point, {@code sst-admin resume} and the build's class-loading run all come
 * through here. Reading my.cnf comes first (it names the history); then the run, with its
 * context (inputs, services, facts) and its runner (machine, journal, classifier, faults,
 * and a listener that tells the recorder which stage each record belongs to), and what shows
 * it while it runs ({@link LiveRun}: the status beside sst_in_progress, the metrics file).
 */
public final class RunAssembly {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunAssembly.class);

    private final SstArguments args;
    private final Map<String, String> env;
    private final Abort abort;
    private final Tools tools;
    private final LateListener listener = new LateListener();
    private final ChildProcesses children;
    private final LongSupplier clock;
    private final LongSupplier nanos;

    public RunAssembly(SstArguments args, Map<String, String> env, Abort abort) {
        this(args, env, abort, System::currentTimeMillis, System::nanoTime);
    }

    public RunAssembly(SstArguments args, Map<String, String> env, Abort abort, LongSupplier clock, LongSupplier nanos) {
        this.args = args;
        this.env = env;
        this.abort = abort;
        this.tools = new Tools(env.get("PATH"));
        this.children = new ChildProcesses(listener, abort);
        this.clock = clock;
        this.nanos = nanos;
    }

    /** my.cnf as the real my_print_defaults sees it (not recorded: there is no history yet). */
    public OptionFiles options() {
        Path myPrintDefaults = tools.find("my_print_defaults").orElseThrow(() -> StockLine.MY_PRINT_DEFAULTS_MISSING
                .failure(ExitCode.ENOENT, " (PATH: " + env.get("PATH") + "); install mariadb-client or fix mysqld's PATH"));
        return OptionFiles.read(children, myPrintDefaults, args.defaultsOptions());
    }

    /**
     * Syslog mode, when my.cnf asks for it as the stock script reads it ({@link Syslog}) and
     * logger is on the PATH: from here on the children's output also goes to syslog, and the
     * caller sends the SST's own lines there. Without logger, the stock script's ERROR line
     * and everything stays where it was (the stock script would go on and fail its steps).
     */
    public Optional<SyslogSink> syslog(OptionFiles cnf) {
        List<String> warnings = new ArrayList<>();
        Optional<Syslog> wanted = Syslog.from(cnf, env, warnings);
        warnings.forEach(LOG::warn);
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> logger = tools.find("logger");
        if (logger.isEmpty()) {
            StockLine.LOGGER_MISSING.log(env.get("PATH"));
            return Optional.empty();
        }
        SyslogSink sink = new SyslogSink(logger.get(), wanted.get().tagPrefix());
        children.toSyslog(sink);
        return Optional.of(sink);
    }

    /** Where this datadir's history is: [sst] history-dir, else the default place for the datadir. */
    public Path historyDir(OptionFiles cnf) {
        return HistoryLocation.resolve(HistoryLocation.configured(cnf), args.datadir(),
                env.get(HistoryLocation.ROOT_VARIABLE));
    }

    /**
     * A run that has its context and runner, or was refused before its first stage (its failure
     * recorded); {@code live} shows it to watchdogs and Prometheus while it runs.
     */
    public record Run(SstContext context, StageRunner<SstContext> runner, RunResult refused, LiveRun live) {

        public RunResult execute() {
            return refused != null ? refused : live(() -> runner.run(context.runId, context));
        }

        /** Re-enters at {@code stage} (sst-admin resume). */
        public RunResult executeFrom(String stage) {
            return refused != null ? refused : live(() -> runner.run(context.runId, context, stage));
        }

        private RunResult live(java.util.function.Supplier<RunResult> run) {
            live.start();
            try {
                return run.get();
            } finally {
                live.close();
            }
        }
    }

    /**
     * Puts the run together. A configuration the run cannot work with fails it at preflight,
     * recorded like any stage's failure ({@link StageRunner#refuse}). {@code credentials} null
     * resolves them from the environment, stdin and my.cnf.
     */
    public Run assemble(String runId, OptionFiles cnf, H2RunJournal journal, Path historyDir, ControlChannel control,
                        Credentials credentials, java.io.InputStream stdin) {
        JournalRecorder recorder = new JournalRecorder(journal, runId, historyDir);
        listener.target = recorder;
        Machine<SstContext> machine = SstMachines.of(args.role());
        FaultPoints faults = FaultPoints.fromEnvironment(env);
        SstConfig config;
        // the stock script's lines of reading my.cnf, printed before a refusal too, as it prints them
        List<StockLine.Printed> notices = new ArrayList<>();
        try {
            List<String> hookWarnings = new ArrayList<>();
            TestHooks hooks = TestHooks.from(env, hookWarnings);
            hookWarnings.forEach(LOG::warn);
            config = SstConfig.from(cnf, args.role(), hooks, notices);
        } catch (SstException e) {
            notices.forEach(StockLine.Printed::log);
            StageRunner<SstContext> runner = new StageRunner<>(machine, wiring(journal, faults, recorder));
            return new Run(null, runner, runner.refuse(runId, SstMachines.PREFLIGHT, e), null);
        }
        notices.forEach(StockLine.Printed::log);
        config.warnings().forEach(LOG::warn);
        Credentials creds = credentials != null ? credentials : Credentials.resolve(env, config.auth().orElse(null),
                args.role() == org.sstorchestrator.states.Role.DONOR ? Credentials.fromStdin(stdin, 50) : null);
        SstContext ctx = new SstContext(runId, args, config, creds, env,
                new SstContext.Services(tools, children, abort, control, recorder, clock, nanos, faults,
                        MachineSizing.ofThisMachine())); // the one probe of this machine's CPUs and memory
        // where this run writes the node's metrics, so that sst-admin cleanup can correct them after it
        config.metricsDir().ifPresent(d -> journal.attribute(runId, "metrics_dir", d.toString()));
        LiveRun live = new LiveRun(runId, args.role().label(), args.datadir(), config.metricsDir(), journal.reader(), clock);
        StageRunner<SstContext> runner = new StageRunner<>(machine,
                wiring(live.observe(journal), faults, StageListener.both(StageListener.both(recorder, new StageInLog()), ctx)));
        return new Run(ctx, runner, null, live);
    }

    private StageRunner.Wiring wiring(RunJournal journal, FaultPoints faults, StageListener listener) {
        return new StageRunner.Wiring(journal, SpringStatemachineDriver.FACTORY, new Classifier(), faults, listener, nanos);
    }

    /** Log lines carry the stage they belong to (SstLogFormat reads it from the MDC). */
    private static final class StageInLog implements StageListener {
        @Override
        public void entering(String stage) {
            MDC.put("stage", stage);
        }
    }

    /** Children run (my_print_defaults) before the history is open: those are not recorded. */
    private static final class LateListener implements ChildListener {
        volatile JournalRecorder target;

        @Override
        public void ended(Command c, Integer code, long startedMs, long endedMs) {
            if (target != null) {
                target.ended(c, code, startedMs, endedMs);
            }
        }

        @Override
        public void started(Command c, ProcessHandle process) {
            if (target != null) {
                target.started(c, process);
            }
        }
    }
}
