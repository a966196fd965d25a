package org.sstorchestrator.states;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.tls.NativeCrypto;
import org.sstorchestrator.states.tls.TlsChannel;
import org.sstorchestrator.states.tls.TlsMaterial;
import org.sstorchestrator.states.tls.TlsSettings;

/**
 * Given by preflight on both roles: how this run protects its two transfers, set up before
 * the joiner prints {@code ready} and before the donor connects, so a TLS file that is
 * missing, unreadable, expired, not the key's or not the CA's ends the run (22) before
 * anything is sent or changed (promise P5), never with a cleartext transfer (P8). Each
 * transfer's TLS session is logged and recorded ({@code tls.<transfer>}: protocol, suite,
 * the peer's subject and SHA-256 fingerprint, what was verified).
 */
public record WireSecurity(TlsSettings settings, Optional<TlsChannel> tls) {

    private static final Logger LOG = LoggerFactory.getLogger(WireSecurity.class);

    /** What ours adds to the stock lines that name socat, which ours does not run. */
    static final String BUILT_IN_TLS = " (built-in TLS, socat-compatible)";

    /**
     * Reads and checks this role's TLS material (if any) and records what the transfers will
     * use; says so in the stock script's lines ({@link StockLine}), as its get_stream and
     * get_transfer do before anything is sent.
     */
    public static WireSecurity prepare(SstContext ctx) {
        TlsSettings s = ctx.config.tls();
        StockLine.STREAMING_WITH.log("mbstream");
        if (ctx.config.stream().netcat()) {
            StockLine.USING_NETCAT.logWith(": built-in transport, plain TCP (nc is not run)");
        } else {
            StockLine.USING_SOCAT.logWith(": built-in transport, socat-compatible (socat is not run)");
        }
        Optional<TlsChannel> tls = Optional.empty();
        if (s.tls()) {
            (s.encrypt() == 2 ? StockLine.TLS_CRT_AND_PEM : StockLine.TLS_KEY_AND_CRT).logWith(BUILT_IN_TLS);
            if (!s.options().isEmpty()) {
                LOG.info("[sst] sockopt's TLS options: {}", String.join("; ", s.options().applied()));
                ctx.recorder.attribute("tls.sockopt", String.join("; ", s.options().applied()));
            }
            NativeCrypto.install(); // before the files are read: the key checks run on it too
            ctx.recorder.attribute("tls.crypto", NativeCrypto.describe());
            TlsMaterial.Loaded m = new TlsMaterial(s).load(Instant.ofEpochMilli(ctx.clock.getAsLong()));
            m.warnings().forEach(LOG::warn);
            tls = Optional.of(TlsChannel.of(m));
            // the provider's self-tests ran in the background meanwhile: an algorithm that failed its test refuses to work
            NativeCrypto.selfTestFailure().ifPresent(f -> {
                throw new SstException(ExitCode.EINVAL, "AWS-LC's self-tests failed (" + f + "): TLS cannot run on it on"
                        + " this node; run the SST with the JDK's crypto (JAVA_TOOL_OPTIONS=-D" + NativeCrypto.SWITCH
                        + "=off in mysqld's environment) and report this");
            });
            String action = ctx.role == Role.JOINER ? "Decrypting" : "Encrypting";
            if (s.encrypt() == 2) {
                StockLine.TLS_WITH_CA_ONLY.log(action, path(s.cert()), path(s.ca()), path(s.capath()));
            } else if (!s.verifiesPeer()) {
                StockLine.TLS_WITHOUT_VERIFICATION.log(action, path(s.cert()), path(s.key()));
            } else {
                if (s.mode() == org.sstorchestrator.states.tls.SslMode.VERIFY_CA) {
                    StockLine.TLS_VERIFY_CA.log();
                }
                StockLine.TLS_WITH_CA.log(action, path(s.cert()), path(s.key()), path(s.ca()), path(s.capath()));
            }
        }
        ctx.recorder.attribute("security", s.tls() ? "TLS " + s.describe()
                : s.encrypt() == 1 ? ctx.pipeline.describe() + " (encrypt=1)" : "none (encrypt=0)");
        return new WireSecurity(s, tls);
    }

    /** Joiner, an accepted connection: TLS server side when configured, then the session is recorded. */
    public Socket accepted(SstContext ctx, Socket plain, Duration handshake, String transfer, String what) {
        if (tls.isEmpty()) {
            return plain;
        }
        SSLSocket s = tls.get().serverSide(plain, handshake, what);
        ctx.abort.register(s);
        record(ctx, s, Optional.empty(), transfer);
        return s;
    }

    /** Donor, a connected socket: TLS client side when configured (checking {@code name} if any). */
    public Socket connected(SstContext ctx, Socket plain, String host, Optional<String> name, Duration handshake,
                            String transfer, String what) {
        if (tls.isEmpty()) {
            return plain;
        }
        SSLSocket s = tls.get().clientSide(plain, host, name, handshake, what);
        ctx.abort.register(s);
        record(ctx, s, name, transfer);
        return s;
    }

    private void record(SstContext ctx, SSLSocket s, Optional<String> name, String transfer) {
        String d = tls.orElseThrow().session(s, name).describe(settings);
        LOG.info("TLS for {}: {}", transfer, d);
        ctx.recorder.attribute("tls." + transfer, d);
    }

    /**
     * The donor's end of transfer 1 under TLS: close our side (close_notify) and wait, within
     * {@code bound}, for the joiner to close its own. Under TLS 1.3 a joiner that refuses our
     * certificate says so only after our handshake has completed; this is where its alert
     * arrives, instead of the run going on to a transfer 2 nobody waits for.
     */
    public static void awaitPeerClose(Socket s, Duration bound, String what) {
        if (!(s instanceof SSLSocket ssl)) {
            return;
        }
        try {
            ssl.shutdownOutput();
            ssl.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, bound.toMillis())));
            InputStream in = ssl.getInputStream();
            byte[] b = new byte[512];
            while (in.read(b) >= 0) {
                // the joiner sends nothing; anything it did send is ignored
            }
        } catch (SocketTimeoutException e) {
            LOG.warn("{}: the joiner did not close its end within {} s; going on", what, bound.toSeconds());
        } catch (SSLException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Received fatal alert")) {
                throw new SstException(ExitCode.EPIPE, what + ": the joiner refused the TLS session ("
                        + m.substring(m.indexOf("Received fatal alert")) + "): it does not trust this donor's certificate;"
                        + " check the joiner's ssl-ca against this donor's ssl-cert (or ssl-client-cert)", e);
            }
            LOG.debug("{}: the joiner closed without close_notify ({})", what, m);
        } catch (IOException e) {
            LOG.debug("{}: the joiner's close: {}", what, e.getMessage());
        }
    }

    private static String path(Optional<TlsSettings.Setting> s) {
        return s.map(x -> x.path().toString()).orElse("");
    }
}
