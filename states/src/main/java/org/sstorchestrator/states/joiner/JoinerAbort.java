package org.sstorchestrator.states.joiner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.exec.Abort;

/**
 * The failure path: stop children, close sockets, remove markers and temporary files. No
 * position is ever printed from here. {@code .sst} stays for diagnosis (and for resume).
 */
public final class JoinerAbort implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(JoinerAbort.class);

    @Override
    public String run(SstContext ctx) throws Exception {
        Abort.killChildren();
        JoinerCleanup.release(ctx);
        if (java.nio.file.Files.exists(ctx.sstDir())) {
            LOG.info("Keeping '{}' for diagnosis", ctx.sstDir());
        }
        return OK;
    }
}
