package org.sstorchestrator.states.joiner;

import java.util.ArrayList;
import java.util.List;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.MariadbBackup;
import org.sstorchestrator.states.SstContext;

/** {@code mariadb-backup --prepare} on {@code .sst}; re-runnable after a crash (prepare is idempotent). */
public final class PrepareBackup implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) {
        List<String> args = new ArrayList<>();
        args.add("--prepare");
        ctx.args.innodbForceRecovery().ifPresent(r -> args.add("--innodb-force-recovery=" + r));
        args.addAll(ctx.config.applyOptions());
        args.addAll(ctx.innoExtra());
        ctx.config.useMemory().ifPresent(m -> args.add("--use-memory=" + m));
        args.add("--target-dir=" + ctx.sstDir());
        args.add("--datadir=" + ctx.sstDir());
        args.addAll(ctx.mysqldArgs());
        MariadbBackup.runStep(ctx, "--prepare", args, ctx.prepareLog());
        return OK;
    }
}
