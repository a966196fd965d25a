package org.sstorchestrator.states.joiner;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Failure;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.layout.FileTree;
import org.sstorchestrator.states.run.SstContext;

/**
 * The failure path: stop children, close sockets, remove markers and temporary files. No
 * position is ever printed from here.
 *
 * <p>What becomes of {@code .sst} depends on what it is now. Once the wipe began it may hold
 * the only copy of the data: it stays (and sst-admin cleanup refuses to delete it). Before
 * that the old datadir is whole, so a partial backup is removed (it is of no use and it
 * keeps the disk full), and so is a whole one when the run failed for want of space; a whole
 * backup that failed for another reason (say, in prepare) stays for diagnosis, as the stock
 * script keeps it, and sst-admin cleanup lists it.
 */
public final class JoinerAbort implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(JoinerAbort.class);

    @Override
    public String run(SstContext ctx) throws Exception {
        Abort.killChildren();
        JoinerCleanup.release(ctx);
        Path sst = ctx.sstDir();
        if (!Files.exists(sst)) {
            return OK;
        }
        boolean diskFull = ctx.facts().find(Failure.class).map(f -> f.code() == ExitCode.ENOSPC.code()).orElse(false);
        boolean received = ctx.facts().has(Received.class);
        if (ctx.facts().has(WipeBegan.class)) {
            LOG.info("Keeping '{}': the old datadir was wiped, so it may hold the only copy of the data", sst);
        } else if (!received || diskFull) {
            long bytes = FileTree.size(sst);
            FileTree.delete(sst);
            String why = received ? "to give the space back (the old datadir is whole)"
                    : "a partial backup (the old datadir is whole)";
            LOG.info("Removed '{}' ({} bytes): {}", sst, bytes, why);
            ctx.recorder.note("removed_backup", sst + " (" + bytes + " bytes): " + why);
        } else {
            LOG.info("Keeping '{}' for diagnosis; sst-admin cleanup removes it", sst);
        }
        return OK;
    }
}
