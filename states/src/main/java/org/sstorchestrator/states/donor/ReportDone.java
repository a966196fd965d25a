package org.sstorchestrator.states.donor;

import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.run.SstContext;

/** The donor's commit point and last act: {@code done <gtid>}. */
public final class ReportDone implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) {
        ctx.control.done(ctx.args.require("gtid"));
        return OK;
    }
}
