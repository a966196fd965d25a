package org.sstorchestrator.states.joiner;

import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstAddress;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.wire.Transport;

/**
 * Listens on the advertised address only, then prints {@code ready}: the donor is told to
 * connect only once something is listening (the stock script polls for socat instead).
 */
public final class Listen implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) {
        SstAddress given = SstAddress.parse("--address", ctx.args.require("address"));
        ctx.listener = Transport.listen(given.socketHost(), given.port(), ctx.abort);
        SstAddress ready = new SstAddress(given.host(), given.port(), given.module(), given.lsn(), "1");
        ctx.recorder.attribute("listen", given.host() + ":" + given.port());
        ctx.control.ready(ready.readyForm());
        return OK;
    }
}
