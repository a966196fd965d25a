package org.sstorchestrator.states;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.wire.ControlChannel;
import org.sstorchestrator.states.wire.GaleraInfo;
import org.sstorchestrator.states.wire.Pipeline;

/**
 * Everything one SST run works with: its inputs (read once), its services, and the few facts
 * one stage hands to the next. Facts a resumed run needs are on disk, not only here.
 */
public final class SstContext implements org.sstorchestrator.engine.Failure.Aware {

    public final String runId;
    public final Role role;
    public final SstArguments args;
    public final SstConfig config;
    public final Path datadir;
    public final Credentials credentials;
    public final Tools tools;
    public final ChildProcesses children;
    public final Abort abort;
    public final ControlChannel control;
    public final RunRecorder recorder;
    public final LongSupplier clock;
    public final Pipeline pipeline;

    /** Named crash points for tests; inert unless SST_FAULT names one. */
    public org.sstorchestrator.engine.FaultPoints faults = org.sstorchestrator.engine.FaultPoints.none();

    // Handed from stage to stage within one process.
    public SstLock lock;
    public Path mariadbBackup;
    public Path mbstream;
    public ServerSocket listener;
    /** Where transfer 1 came from: transfer 2 is accepted from this address only. */
    public java.net.InetAddress donor;
    public Path magicDir;
    public GaleraInfo magic;
    public boolean ist;
    /** The donor's estimate of the backup's size, sent as {@code total} in transfer 1. */
    public Long estimatedTotal;
    /** The whole backup is in .sst (this run received it, or a resumed run found it so). */
    public boolean streamReceived;
    /** The wipe began (this run, or the run being resumed): .sst may hold the only copy of the data. */
    public boolean wipeStarted;
    /** The run's first failure, known before the abort stage runs. */
    public org.sstorchestrator.engine.Failure failure;

    @Override
    public void failed(String stage, org.sstorchestrator.engine.Failure first) {
        this.failure = first;
    }

    public SstContext(String runId, Role role, SstArguments args, SstConfig config, Credentials credentials, Tools tools,
                      ChildProcesses children, Abort abort, ControlChannel control, RunRecorder recorder,
                      LongSupplier clock) {
        this.runId = runId;
        this.role = role;
        this.args = args;
        this.config = config;
        this.datadir = args.datadir();
        this.credentials = credentials;
        this.tools = tools;
        this.children = children;
        this.abort = abort;
        this.control = control;
        this.recorder = recorder;
        this.clock = clock;
        this.pipeline = Pipeline.plain();
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

    /**
     * The directory and buffer-pool options mysqld was started with, passed to every
     * mariadb-backup call like the common script's INNOEXTRA.
     */
    public List<String> innoExtra() {
        List<String> out = new ArrayList<>();
        for (String name : List.of("aria-log-dir-path", "innodb-data-home-dir", "innodb-log-group-home-dir",
                "innodb-undo-directory", "innodb-buffer-pool-filename", "innodb-buffer-pool-size")) {
            args.serverOption(name).ifPresent(v -> out.add("--" + name + "=" + v));
        }
        return out;
    }

    /** {@code --mysqld-args ...} for mariadb-backup when mysqld passed any, else nothing. */
    public List<String> mysqldArgs() {
        List<String> pass = args.mysqldArgsForBackup();
        if (pass.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.add("--mysqld-args");
        out.addAll(pass);
        return out;
    }
}
