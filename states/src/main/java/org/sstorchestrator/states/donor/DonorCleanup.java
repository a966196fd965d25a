package org.sstorchestrator.states.donor;

import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstContext;

/** Releases the datadir's SST lock (temporary directories went with StreamBackup). */
public final class DonorCleanup implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) {
        if (ctx.lock != null) {
            ctx.lock.release();
        }
        return OK;
    }
}
