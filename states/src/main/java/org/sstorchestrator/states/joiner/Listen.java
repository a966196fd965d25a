package org.sstorchestrator.states.joiner;

import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstAddress;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.wire.Transport;

/**
 * Listens on the advertised address only, then prints {@code ready}: the donor is told to
 * connect only once something is listening (the stock script polls for socat instead).
 * Gives {@link Listening}.
 */
public final class Listen implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) {
        SstAddress given = ctx.args.address();
        ctx.facts().put(new Listening(Transport.listen(given.socketHost(), given.port(), ctx.abort)));
        SstAddress ready = new SstAddress(given.host(), given.port(), given.module(), given.lsn(), "1");
        ctx.recorder.attribute("listen", given.host() + ":" + given.port());
        ctx.control.ready(ready.readyForm());
        return OK;
    }
}
