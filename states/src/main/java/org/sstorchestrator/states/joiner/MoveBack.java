package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.layout.BinlogNames;
import org.sstorchestrator.states.mariabackup.BackupFlags;
import org.sstorchestrator.states.mariabackup.MariadbBackup;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;

/**
 * {@code mariadb-backup --move-back} from {@code .sst} into the datadir, then removes
 * {@code .sst} and creates the binary log's directories. On failure {@code .sst} is kept, as
 * the stock script does: the wipe came first, so it may be the only copy of the data. Declared {@code ONCE}: files already moved
 * are gone from {@code .sst}, so a resumed run never re-enters it.
 */
public final class MoveBack implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        List<String> rest = new ArrayList<>();
        BackupFlags flags = new BackupFlags(ctx);
        rest.add("--move-back");
        rest.add("--no-version-check");
        rest.addAll(ctx.config.moveOptions());
        rest.addAll(flags.parallel(ctx.sizing.moveBackParallel(), "move-back"));
        rest.addAll(flags.innoExtra());
        rest.addAll(flags.useMemory());
        rest.add("--galera-info");
        rest.add("--force-non-empty-directories");
        rest.add("--target-dir=" + ctx.sstDir());
        rest.add("--datadir=" + ctx.datadir);
        StockLine.MOVING_BACKUP.log(ctx.datadir);
        MariadbBackup.runStep(ctx, "--move-back", MariadbBackup.withDefaults(ctx, rest), ctx.moveLog());
        StockLine.MOVE_SUCCESSFUL.log(ctx.sstDir());
        org.sstorchestrator.states.layout.FileTree.delete(ctx.sstDir());
        createBinlogDirectories(ctx);
        return OK;
    }

    /**
     * As the stock script after a successful move-back (docs/compatibility.md#the-joiners-layout): the binary log's
     * directory and its index's, when they are not the datadir and do not exist (a fresh node,
     * or one the wipe emptied): mysqld cannot start its binary log without them.
     */
    static void createBinlogDirectories(SstContext ctx) throws IOException {
        BinlogNames.Files b = ctx.binlog.files(ctx.datadir).orElse(null);
        if (b == null) {
            return;
        }
        if (!b.dir().equals(ctx.datadir) && !Files.isDirectory(b.dir())) {
            StockLine.CREATING_BINLOG_DIRECTORY.log(b.dir());
            Files.createDirectories(b.dir());
        }
        Path indexDir = b.index().getParent();
        if (!indexDir.equals(ctx.datadir) && !Files.isDirectory(indexDir)) {
            StockLine.CREATING_BINLOG_INDEX_DIRECTORY.log(indexDir);
            Files.createDirectories(indexDir);
        }
    }

}
