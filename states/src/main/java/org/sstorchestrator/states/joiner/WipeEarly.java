package org.sstorchestrator.states.joiner;

import java.io.IOException;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.run.SstContext;

/**
 * The wipe before the stream, taken only when {@link PlanSpace} found no room for the new
 * data beside the old. The same wipe as {@link WipeDatadir} (which later finds nothing left
 * to remove), recorded as its own stage because it gives up P5's safety net: a failure from
 * here on leaves no old datadir to start on.
 */
public final class WipeEarly implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        WipeDatadir.wipe(ctx);
        return OK;
    }
}
