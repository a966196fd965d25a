package org.sstorchestrator.states.donor;

import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;

/** The failure path: no backup may outlive the run, and the lock is released. */
public final class DonorAbort implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) {
        Abort.killChildren();
        ctx.facts().find(SstLock.class).ifPresent(SstLock::release);
        return OK;
    }
}
