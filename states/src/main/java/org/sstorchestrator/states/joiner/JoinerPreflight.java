package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.Binaries;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.LogArchive;
import org.sstorchestrator.states.ParentWatch;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.SstFiles;
import org.sstorchestrator.states.SstLock;
import org.sstorchestrator.states.WireSecurity;

/**
 * Everything that can be checked before anything is changed (promise P5): the datadir, the
 * tools, the address, the TLS files, and that no other SST owns this datadir. Then the
 * in-progress marker. Gives {@link Binaries}, the {@link SstLock} and {@link WireSecurity}.
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
        ctx.args.address();
        ctx.facts().put(WireSecurity.prepare(ctx)); // TLS files checked before ready: the donor is never contacted
        ctx.facts().put(binaries(ctx));
        if (ctx.args.parent().isPresent()) {
            ParentWatch.start(ctx.args.parent().value(), ctx.abort);
        }
        ctx.facts().put(SstLock.acquire(ctx.datadir, Duration.ofSeconds(30), ctx.nanos));
        Files.writeString(ctx.datadir.resolve(SstFiles.IN_PROGRESS), ctx.runId + "\n");
        LogArchive.archive(ctx);
        ctx.recorder.attribute("prepare_log", ctx.prepareLog().toString());
        ctx.recorder.attribute("move_log", ctx.moveLog().toString());
        return OK;
    }

    /** The joiner's tools, found as preflight finds them; also what a resumed run starts from. */
    public static Binaries binaries(SstContext ctx) {
        return new Binaries(ctx.tools.require("mariadb-backup", ExitCode.TOOL_MISSING),
                Optional.of(ctx.tools.require("mbstream", ExitCode.TOOL_MISSING)));
    }
}
