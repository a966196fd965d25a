package org.sstorchestrator.states.donor;

import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;

/** Releases the datadir's SST lock (temporary directories went with StreamBackup). */
public final class DonorCleanup implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) {
        ctx.facts().find(SstLock.class).ifPresent(SstLock::release);
        return OK;
    }
}
