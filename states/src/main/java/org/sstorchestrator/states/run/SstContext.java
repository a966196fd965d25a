package org.sstorchestrator.states.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.sstorchestrator.engine.Facts;
import org.sstorchestrator.engine.Failure;
import org.sstorchestrator.engine.FaultPoints;
import org.sstorchestrator.engine.StageListener;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.RunRecorder;
import org.sstorchestrator.states.args.Credentials;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.config.MachineSizing;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.layout.BinlogNames;
import org.sstorchestrator.states.layout.DataDirs;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.wire.ControlChannel;

/**
 * Everything one SST run works with: its inputs (read once), its services, and the typed
 * {@link Facts} one stage hands to the next, as the machine declares them (states.machine.SstMachines).
 * Nothing here changes once the run is assembled; what a resumed run needs is on disk.
 */
public final class SstContext implements StageListener {

    public final String runId;
    public final Role role;
    public final SstArguments args;
    public final SstConfig config;
    public final Path datadir;
    public final Credentials credentials;
    /** The InnoDB/Aria directories apart from the datadir, and the binary log's names (mysqld's, else my.cnf's). */
    public final DataDirs dirs;
    public final BinlogNames binlog;
    public final Tools tools;
    public final ChildProcesses children;
    public final Abort abort;
    public final ControlChannel control;
    public final RunRecorder recorder;
    /** Wall time in epoch milliseconds, for records. */
    public final LongSupplier clock;
    /** A monotonic clock in nanoseconds, for every timeout of the run. */
    public final LongSupplier nanos;
    /** This machine's CPUs and memory as the assembly found them: what mariadb-backup gets when nothing is sized. */
    public final MachineSizing sizing;
    /** Named crash points for tests; inert unless SST_FAULT names one. */
    public final FaultPoints faults;
    private final Facts facts = new Facts();

    /** The services a run is assembled from (see the cli's RunAssembly). */
    public record Services(Tools tools, ChildProcesses children, Abort abort, ControlChannel control, RunRecorder recorder,
                           LongSupplier clock, LongSupplier nanos, FaultPoints faults, MachineSizing sizing) {

        /** The services of a run on this machine, its sizing probed now. */
        public Services(Tools tools, ChildProcesses children, Abort abort, ControlChannel control, RunRecorder recorder,
                        LongSupplier clock, LongSupplier nanos, FaultPoints faults) {
            this(tools, children, abort, control, recorder, clock, nanos, faults, MachineSizing.ofThisMachine());
        }
    }

    /** {@code env}: the environment mysqld gave us (it may name the InnoDB data home, see {@link DataDirs}). */
    public SstContext(String runId, SstArguments args, SstConfig config, Credentials credentials, Map<String, String> env,
                      Services services) {
        this.runId = runId;
        this.role = args.role();
        this.args = args;
        this.config = config;
        this.datadir = args.datadir();
        this.credentials = credentials;
        this.dirs = DataDirs.resolve(args, env, config.serverFiles(), role);
        this.binlog = BinlogNames.resolve(args, config.serverFiles(), role);
        this.tools = services.tools();
        this.children = services.children();
        this.abort = services.abort();
        this.control = services.control();
        this.recorder = services.recorder();
        this.clock = services.clock();
        this.nanos = services.nanos();
        this.faults = services.faults();
        this.sizing = services.sizing();
    }

    public Facts facts() {
        return facts;
    }

    /** The runner's first failure, kept as a fact before the abort stage runs (what it removes depends on it). */
    @Override
    public void failed(String stage, Failure failure) {
        facts.put(failure);
    }

    /** Whether mysqld asked for total/complete lines (--progress 1). */
    public boolean reportsProgress() {
        return args.intOption("progress", 0) == 1;
    }

    /** Records a progress sample and, with --progress 1, tells mysqld too. */
    public void progress(long bytes, Long total) {
        recorder.progress(bytes, total);
        if (reportsProgress()) {
            control.complete(bytes);
        }
    }

    /** Where the joiner receives transfer 2; inside the datadir so move-back is a rename. */
    public Path sstDir() {
        return SstFiles.receiveDir(datadir);
    }

    public Path backupLog() {
        return datadir.resolve("mariabackup.backup.log");
    }

    public Path prepareLog() {
        return datadir.resolve("mariabackup.prepare.log");
    }

    public Path moveLog() {
        return datadir.resolve("mariabackup.move.log");
    }

    /** Where temporary directories go: [sst]/server tmpdir, else the system's. */
    public Path tmpBase() {
        Path base = config.tmpdir().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        try {
            // as it really is: sst-admin cleanup takes a recorded base only if no link is on its way
            return base.toRealPath();
        } catch (java.io.IOException e) {
            return base.toAbsolutePath().normalize(); // missing: creating the directories there says so
        }
    }
}
