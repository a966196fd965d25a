package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.MariadbBackup;
import org.sstorchestrator.states.SstContext;

/**
 * {@code mariadb-backup --move-back} from {@code .sst} into the datadir, then removes
 * {@code .sst}. On failure {@code .sst} is kept, as the stock script does: the wipe came
 * first, so it may be the only copy of the data. Declared {@code ONCE}: files already moved
 * are gone from {@code .sst}, so a resumed run never re-enters it.
 */
public final class MoveBack implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        List<String> rest = new ArrayList<>();
        rest.add("--move-back");
        rest.add("--no-version-check");
        rest.addAll(ctx.config.moveOptions());
        ctx.config.backupThreads().ifPresent(n -> rest.add("--parallel=" + n));
        rest.addAll(ctx.innoExtra());
        rest.addAll(ctx.useMemory());
        rest.add("--galera-info");
        rest.add("--force-non-empty-directories");
        rest.add("--target-dir=" + ctx.sstDir());
        rest.add("--datadir=" + ctx.datadir);
        MariadbBackup.runStep(ctx, "--move-back", MariadbBackup.withDefaults(ctx, rest), ctx.moveLog());
        org.sstorchestrator.states.FileTree.delete(ctx.sstDir());
        return OK;
    }

}
