package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.FileTree;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstFiles;
import org.sstorchestrator.states.SstLock;
import org.sstorchestrator.states.wire.Transport;

/** Closes the listener and removes the run's temporary files and markers (success path). */
public final class JoinerCleanup implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        release(ctx);
        return OK;
    }

    /**
     * Shared with {@link JoinerAbort}: what both endings remove, of whatever this run made (a
     * failure may come before any of it exists). Never touches .sst or data.
     */
    static void release(SstContext ctx) throws IOException {
        ctx.facts().find(Listening.class).ifPresent(l -> Transport.closeQuietly(l.server()));
        ctx.facts().find(MagicDir.class).ifPresent(d -> FileTree.deleteQuietly(d.dir()));
        Files.deleteIfExists(ctx.datadir.resolve(SstFiles.IN_PROGRESS));
        ctx.facts().find(SstLock.class).ifPresent(SstLock::release);
    }
}
