package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.mariabackup.BackupFlags;
import org.sstorchestrator.states.mariabackup.MariadbBackup;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;

/**
 * {@code mariadb-backup --prepare} on {@code .sst}; re-runnable after a crash (prepare is
 * idempotent, and so is the rewrite of {@code backup-my.cnf} that comes first: prepare reads
 * that file, and it came from the other node, see {@link BackupMyCnf}).
 */
public final class PrepareBackup implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(PrepareBackup.class);
    /** mariadb-backup writes a few hundred bytes; anything near this is not its file. */
    private static final long MAX_BACKUP_CNF = 64 << 10;
    /** Where Debian's packages put the server's plugins, when neither my.cnf nor mysqld's arguments say. */
    static final Path PACKAGED_PLUGIN_DIR = Path.of("/usr/lib/mysql/plugin");

    @Override
    public String run(SstContext ctx) throws IOException {
        CheckVersions.beforePrepare(ctx); // a stock donor's versions arrive with its backup (issue 22)
        StockLine.PREPARING.log(ctx.sstDir());
        rewriteBackupConfig(ctx);
        List<String> args = new ArrayList<>();
        BackupFlags flags = new BackupFlags(ctx);
        args.add("--prepare");
        args.add("--no-version-check");
        ctx.args.innodbForceRecovery().ifPresent(r -> args.add("--innodb-force-recovery=" + r));
        args.addAll(ctx.config.applyOptions());
        args.addAll(flags.innoExtra());
        args.addAll(flags.prepareMemory());
        args.add("--target-dir=" + ctx.sstDir());
        args.add("--datadir=" + ctx.sstDir());
        args.addAll(flags.mysqldArgs());
        MariadbBackup.runStep(ctx, "--prepare", args, ctx.prepareLog());
        return OK;
    }

    /** The joiner's own plugin directory: my.cnf, else mysqld's arguments, else the packaged default. */
    static Optional<Path> pluginDir(SstContext ctx) {
        return ctx.config.pluginDir()
                .or(() -> ctx.args.serverOption("plugin-dir").map(Path::of))
                .or(() -> Optional.of(PACKAGED_PLUGIN_DIR).filter(Files::isDirectory));
    }

    /**
     * The joiner's own value of a key-management option: mysqld's command line first (it
     * overrides my.cnf in mysqld too; containers give the plugin's options there), then the
     * server groups of its my.cnf. Never the stream's (issue 19).
     */
    private static Optional<String> joinersOwn(SstContext ctx, String name) {
        return Optional.ofNullable(ctx.args.mysqldKeyManagement().get(name))
                .or(() -> Optional.ofNullable(ctx.config.keyManagement().get(name)));
    }

    static void rewriteBackupConfig(SstContext ctx) throws IOException {
        Path cnf = ctx.sstDir().resolve(BackupMyCnf.NAME);
        if (!Files.isRegularFile(cnf, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return; // prepare then runs on its defaults, as with the stock script
        }
        long size = Files.size(cnf);
        if (size > MAX_BACKUP_CNF) {
            throw new SstException(ExitCode.EPIPE, "the donor's " + BackupMyCnf.NAME + " is " + size
                    + " bytes, which no mariadb-backup writes; refusing the backup");
        }
        BackupMyCnf.Result r = BackupMyCnf.sanitize(Files.readString(cnf, java.nio.charset.StandardCharsets.ISO_8859_1),
                pluginDir(ctx), name -> joinersOwn(ctx, name));
        for (String d : r.dropped()) {
            LOG.warn("Dropped from the donor's {}: {}", BackupMyCnf.NAME, d);
            ctx.recorder.note("backup_cnf_dropped", d);
        }
        for (String d : r.replaced()) {
            LOG.info("Replaced in the donor's {}: {}", BackupMyCnf.NAME, d);
            ctx.recorder.note("backup_cnf_replaced", d);
        }
        // It may now hold the joiner's own key-management settings: owner-only, written then renamed.
        Path tmp = cnf.resolveSibling(BackupMyCnf.NAME + ".rewrite");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, r.text(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, cnf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
