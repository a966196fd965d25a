package org.sstorchestrator.states.mariabackup;

import java.util.ArrayList;
import java.util.List;
import org.sstorchestrator.states.run.SstContext;

/**
 * The options every mariadb-backup call of a run gets from what mysqld passed, my.cnf and this
 * machine (the stock script's INNOEXTRA, --use-memory, and what we add where it passes none):
 * the flag policy, kept here beside the tool rather than in the context the stages share.
 */
public final class BackupFlags {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackupFlags.class);

    private final SstContext ctx;

    public BackupFlags(SstContext ctx) {
        this.ctx = ctx;
    }

    /**
     * The directory, buffer-pool and binary-log options mysqld gave us (never my.cnf's, which
     * mariadb-backup reads itself), passed to every mariadb-backup call like the common
     * script's INNOEXTRA, in its order.
     */
    public List<String> innoExtra() {
        List<String> out = new ArrayList<>(ctx.dirs.backupOptions());
        for (String name : List.of("innodb-buffer-pool-filename", "innodb-buffer-pool-size")) {
            ctx.args.serverOption(name).ifPresent(v -> out.add("--" + name + "=" + v.strip()));
        }
        out.addAll(ctx.binlog.backupOptions());
        return out;
    }

    /**
     * {@code --use-memory} for backup, prepare and move-back, as the stock script gives it:
     * use-memory from [sst], [xtrabackup] or [mariabackup], else mysqld's buffer-pool size
     * (its own argument first, then my.cnf's).
     */
    public List<String> useMemory() {
        return ctx.config.useMemory().or(() -> ctx.args.serverOption("innodb-buffer-pool-size"))
                .or(ctx.config::serverBufferPool)
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
        String sized = ctx.sizing.prepareUseMemory();
        LOG.info("use-memory and innodb-buffer-pool-size are unset: prepare gets --use-memory={} (a quarter of this"
                + " machine's available memory, 100M to 4G; the stock script passes none)", sized);
        return List.of("--use-memory=" + sized);
    }

    /**
     * {@code --parallel} for the backup or move-back: backup-threads, else {@code sized} from the
     * machine when that is more than mariadb-backup's one thread (the stock script passes none).
     */
    public List<String> parallel(int sized, String step) {
        if (ctx.config.backupThreads().isPresent()) {
            return List.of("--parallel=" + ctx.config.backupThreads().get());
        }
        if (sized <= 1) {
            return List.of();
        }
        LOG.info("backup-threads is unset: {} gets --parallel={} (from this machine's {} CPUs; the stock script"
                + " passes none)", step, sized, ctx.sizing.cpus());
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
        if (ctx.config.logCopyInterval().isPresent()) {
            return List.of("--log-copy-interval=" + ctx.config.logCopyInterval().get());
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
        List<String> pass = new ArrayList<>(ctx.binlog.mysqldArgsPrefix());
        pass.addAll(ctx.args.mysqldArgsForBackup());
        if (pass.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.add("--mysqld-args");
        out.addAll(pass);
        return out;
    }
}
