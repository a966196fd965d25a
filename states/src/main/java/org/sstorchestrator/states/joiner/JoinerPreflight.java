package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.LogArchive;
import org.sstorchestrator.states.ParentWatch;
import org.sstorchestrator.states.SstAddress;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstFiles;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.SstLock;

/**
 * Everything that can be checked before anything is changed (promise P5): the datadir, the
 * tools, the address, and that no other SST owns this datadir. Then the in-progress marker.
 */
public final class JoinerPreflight implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        if (!Files.isDirectory(ctx.datadir)) {
            throw new SstException(ExitCode.ENOENT, "--datadir '" + ctx.datadir + "' does not exist or is not a directory");
        }
        if (!Files.isWritable(ctx.datadir)) {
            throw new SstException(ExitCode.EINVAL, "--datadir '" + ctx.datadir + "' is not writable by this user");
        }
        SstAddress.parse("--address", ctx.args.require("address"));
        ctx.mariadbBackup = ctx.tools.require("mariadb-backup", ExitCode.TOOL_MISSING);
        ctx.mbstream = ctx.tools.require("mbstream", ExitCode.TOOL_MISSING);
        if (ctx.args.parent().isPresent()) {
            ParentWatch.start(ctx.args.parent().value(), ctx.abort);
        }
        ctx.lock = SstLock.acquire(ctx.datadir, Duration.ofSeconds(30));
        Files.writeString(ctx.datadir.resolve(SstFiles.IN_PROGRESS), ctx.runId + "\n");
        LogArchive.archive(ctx);
        ctx.recorder.attribute("prepare_log", ctx.prepareLog().toString());
        ctx.recorder.attribute("move_log", ctx.moveLog().toString());
        return OK;
    }
}
