package org.sstorchestrator.states.joiner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstAddress;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.wire.Transport;

/**
 * Listens, then prints {@code ready}: the donor is told to connect only once something is
 * listening (the stock script polls for socat instead). On the advertised address alone when
 * it is this host's; otherwise on every interface, as the stock script always does, and the
 * log says so ({@link Transport#listenOn}). The ready line advertises the address as given.
 * Gives {@link Listening}.
 */
public final class Listen implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(Listen.class);

    @Override
    public String run(SstContext ctx) {
        SstAddress given = ctx.args.address();
        Transport.ListenOn on = Transport.listenOn(given.socketHost(), given.port());
        if (on.why() != null) {
            LOG.info("Listening on every interface, port {}, for {}: {}; the stock script always listens so",
                    given.port(), given.host(), on.why());
        }
        ctx.facts().put(new Listening(Transport.listen(on.address(), ctx.abort)));
        SstAddress ready = new SstAddress(given.host(), given.port(), given.module(), given.lsn(), "1");
        ctx.recorder.attribute("listen", on.why() == null ? given.host() + ":" + given.port() : "*:" + given.port());
        ctx.control.ready(ready.readyForm());
        return OK;
    }
}
