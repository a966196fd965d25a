package org.sstorchestrator.states.joiner;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.RemoteAuth;
import org.sstorchestrator.states.Secret;
import org.sstorchestrator.states.SstAddress;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.WireSecurity;
import org.sstorchestrator.states.tls.PeerName;
import org.sstorchestrator.states.tls.TlsChannel;
import org.sstorchestrator.states.wire.Transport;

/**
 * Listens on the advertised address only, then prints {@code ready}: the donor is told to
 * connect only once something is listening (the stock script polls for socat instead).
 * In a VERIFY ssl-mode the address starts with {@code <CN of our certificate>:<secret>@}, as
 * the stock joiner's does: the donor checks our certificate against that CN and must send
 * the secret (16 random bytes, in hex) back in transfer 1. Gives {@link Listening}.
 */
public final class Listen implements Stage<SstContext> {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String run(SstContext ctx) {
        SstAddress given = ctx.args.address();
        WireSecurity security = ctx.facts().get(WireSecurity.class);
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
        ctx.facts().put(new Listening(Transport.listen(given.socketHost(), given.port(), ctx.abort), secret));
        SstAddress ready = new SstAddress(given.host(), given.port(), given.module(), given.lsn(), "1");
        ctx.recorder.attribute("listen", given.host() + ":" + given.port());
        ctx.control.ready(auth + ready.readyForm());
        return OK;
    }
}
