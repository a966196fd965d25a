package org.sstorchestrator.states.joiner;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.args.RemoteAuth;
import org.sstorchestrator.states.args.SstAddress;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.text.Secret;
import org.sstorchestrator.states.tls.PeerName;
import org.sstorchestrator.states.tls.TlsChannel;
import org.sstorchestrator.states.transfer.Transfers;
import org.sstorchestrator.wire.tcp.Tcp;

/**
 * Listens, then prints {@code ready}: the donor is told to connect only once something is
 * listening (the stock script polls for socat instead). On the advertised address alone when
 * it is this host's; otherwise on every interface, as the stock script always does, and the
 * log says so ({@link Tcp#listenOn}). The ready line advertises the address as given.
 * In a VERIFY ssl-mode the address starts with {@code <CN of our certificate>:<secret>@}, as
 * the stock joiner's does: the donor checks our certificate against that CN and must send
 * the secret (16 random bytes, in hex) back in transfer 1. Gives {@link Listening}.
 */
public final class Listen implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(Listen.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String run(SstContext ctx) {
        SstAddress given = ctx.args.address();
        Transfers security = ctx.facts().get(Transfers.class);
        Optional<Secret> secret = Optional.empty();
        String auth = "";
        if (security.settings().joinerSendsSecret()) {
            String cn = security.tls().map(TlsChannel::certificate).flatMap(PeerName::commonName).orElse("");
            if (!RemoteAuth.CN.matcher(cn).matches()) {
                throw new SstException(ExitCode.EINVAL, "the CN of " + security.settings().cert().orElseThrow() + " ('"
                        + SstAddress.printable(cn) + "') cannot travel in the address this ssl-mode ("
                        + security.settings().mode() + ") sends: a CN of at most 64 letters, digits and . _ - * @ + = , ( )"
                        + " & # ! ~ is needed (a ':' would split it from the secret)");
            }
            byte[] random = new byte[16];
            RANDOM.nextBytes(random);
            secret = Optional.of(Secret.of(HexFormat.of().formatHex(random)));
            auth = cn + ":" + secret.get().reveal() + "@";
        }
        Tcp.ListenOn on = Tcp.listenOn(given.socketHost(), given.port());
        if (on.why() != null) {
            LOG.info("Listening on every interface, port {}, for {}: {}; the stock script always listens so",
                    given.port(), given.host(), on.why());
        }
        ctx.facts().put(new Listening(Transfers.listen(ctx, on.address()), secret));
        SstAddress ready = new SstAddress(given.host(), given.port(), given.module(), given.lsn(), "1");
        ctx.recorder.attribute("listen", on.why() == null ? given.host() + ":" + given.port() : "*:" + given.port());
        ctx.control.ready(auth + ready.readyForm());
        return OK;
    }
}
