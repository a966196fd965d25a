package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstFiles;
import org.sstorchestrator.states.wire.Transport;

/** Closes the listener and removes the run's temporary files and markers (success path). */
public final class JoinerCleanup implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        release(ctx);
        return OK;
    }

    /** Shared with {@link JoinerAbort}: what both endings remove. Never touches .sst or data. */
    static void release(SstContext ctx) throws IOException {
        Transport.closeQuietly(ctx.listener);
        if (ctx.magicDir != null) {
            org.sstorchestrator.states.FileTree.delete(ctx.magicDir);
        }
        Files.deleteIfExists(ctx.datadir.resolve(SstFiles.IN_PROGRESS));
        if (ctx.lock != null) {
            ctx.lock.release();
        }
    }
}
