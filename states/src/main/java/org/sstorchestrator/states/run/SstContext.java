package org.sstorchestrator.states.run;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.wire.ControlChannel;
import org.sstorchestrator.states.config.MachineSizing;
import org.sstorchestrator.states.layout.BinlogNames;
import org.sstorchestrator.states.layout.DataDirs;
import org.sstorchestrator.states.layout.SstFiles;

/**
 * Everything one SST run works with: its inputs (read once), its services, and the typed
 * {@link Facts} one stage hands to the next, as the machine declares them ({@link SstMachines}).
 * Nothing here changes once the run is assembled; what a resumed run needs is on disk.
 */
public final class SstContext implements StageListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SstContext.class);

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
    /** What mariadb-backup gets when the operator sizes nothing (see {@link MachineSizing}). */
    public final MachineSizing sizing = MachineSizing.ofThisMachine();
    /** Named crash points for tests; inert unless SST_FAULT names one. */
    public final FaultPoints faults;
    private final Facts facts = new Facts();

    /** The services a run is assembled from (see the cli's RunAssembly). */
    public record Services(Tools tools, ChildProcesses children, Abort abort, ControlChannel control, RunRecorder recorder,
                           LongSupplier clock, LongSupplier nanos, FaultPoints faults) {
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

    /**
     * The directory, buffer-pool and binary-log options mysqld gave us (never my.cnf's, which
     * mariadb-backup reads itself), passed to every mariadb-backup call like the common
     * script's INNOEXTRA, in its order.
     */
    public List<String> innoExtra() {
        List<String> out = new ArrayList<>(dirs.backupOptions());
        for (String name : List.of("innodb-buffer-pool-filename", "innodb-buffer-pool-size")) {
            args.serverOption(name).ifPresent(v -> out.add("--" + name + "=" + v.strip()));
        }
        out.addAll(binlog.backupOptions());
        return out;
    }

    /**
     * {@code --use-memory} for backup, prepare and move-back, as the stock script gives it:
     * use-memory from [sst], [xtrabackup] or [mariabackup], else mysqld's buffer-pool size
     * (its own argument first, then my.cnf's).
     */
    public List<String> useMemory() {
        return config.useMemory().or(() -> args.serverOption("innodb-buffer-pool-size")).or(config::serverBufferPool)
                .map(m -> List.of("--use-memory=" + m)).orElse(List.of());
    }

    /**
     * {@code --use-memory} for prepare: {@link #useMemory()}, else a size from the machine
     * (the stock script then passes none and mariadb-backup prepares in 100 MiB).
     */
    public List<String> prepareMemory() {
        List<String> set = useMemory();
        if (!set.isEmpty()) {
            return set;
        }
        String sized = sizing.prepareUseMemory();
        LOG.info("use-memory and innodb-buffer-pool-size are unset: prepare gets --use-memory={} (a quarter of this"
                + " machine's available memory, 100M to 4G; the stock script passes none)", sized);
        return List.of("--use-memory=" + sized);
    }

    /**
     * {@code --parallel} for the backup or move-back: backup-threads, else {@code sized} from the
     * machine when that is more than mariadb-backup's one thread (the stock script passes none).
     */
    public List<String> parallel(int sized, String step) {
        if (config.backupThreads().isPresent()) {
            return List.of("--parallel=" + config.backupThreads().get());
        }
        if (sized <= 1) {
            return List.of();
        }
        LOG.info("backup-threads is unset: {} gets --parallel={} (from this machine's {} CPUs; the stock script"
                + " passes none)", step, sized, sizing.cpus());
        return List.of("--parallel=" + sized);
    }

    /** What the backup's redo-log copier waits between polls when the operator sets nothing (ms). */
    public static final int LOG_COPY_INTERVAL = 50;

    /**
     * {@code --log-copy-interval} for the backup: log-copy-interval from [sst], [xtrabackup] or
     * [mariabackup], else 50 ms. mariadb-backup's own 1000 ms is what the backup waits, after it
     * has blocked commits, for its copier to wake and read the last redo: measured on a Galera
     * node after a write, 1.04-1.25 s for a 115 MB backup at 1000 ms, 0.14 s at 50 (the stock
     * script passes none).
     */
    public List<String> logCopyInterval() {
        if (config.logCopyInterval().isPresent()) {
            return List.of("--log-copy-interval=" + config.logCopyInterval().get());
        }
        LOG.info("log-copy-interval is unset: the backup gets --log-copy-interval={} (mariadb-backup's default, 1000,"
                + " adds up to a second to every SST whose donor takes writes; the stock script passes none)",
                LOG_COPY_INTERVAL);
        return List.of("--log-copy-interval=" + LOG_COPY_INTERVAL);
    }

    /**
     * {@code --mysqld-args ...} for mariadb-backup when there is anything to pass: the binlog
     * index and base name mysqld gave us first, as the stock script puts them, then mysqld's own words.
     */
    public List<String> mysqldArgs() {
        List<String> pass = new ArrayList<>(binlog.mysqldArgsPrefix());
        pass.addAll(args.mysqldArgsForBackup());
        if (pass.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.add("--mysqld-args");
        out.addAll(pass);
        return out;
    }
}
