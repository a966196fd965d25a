package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.layout.FileTree;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.transfer.Transfers;

/**
 * Closes the listener, removes the run's temporary files and releases the datadir (success
 * path). The in-progress marker stays until the position is out ({@link ReportPosition}): the
 * stock joiner removes it only as it exits, after printing the position, and a watchdog that
 * keeps a node alive while the marker exists (Percona's operator) must not see the SST over
 * before mysqld has its position.
 */
public final class JoinerCleanup implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        release(ctx, false);
        return OK;
    }

    /**
     * The failure path's ({@link JoinerAbort}): what both endings remove, of whatever this run
     * made (a failure may come before any of it exists), and the marker. Never touches .sst or data.
     */
    static void release(SstContext ctx) throws IOException {
        release(ctx, true);
    }

    private static void release(SstContext ctx, boolean marker) throws IOException {
        ctx.facts().find(Listening.class).ifPresent(l -> Transfers.closeQuietly(l.server()));
        ctx.facts().find(MagicDir.class).ifPresent(d -> FileTree.deleteQuietly(d.dir()));
        if (marker) {
            removeMarker(ctx);
        }
        ctx.facts().find(SstLock.class).ifPresent(SstLock::release);
    }

    static void removeMarker(SstContext ctx) throws IOException {
        Files.deleteIfExists(ctx.datadir.resolve(SstFiles.IN_PROGRESS));
    }
}
