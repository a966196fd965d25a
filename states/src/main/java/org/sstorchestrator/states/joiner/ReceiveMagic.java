package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.SstFiles;
import org.sstorchestrator.states.WireSecurity;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.wire.Deadline;
import org.sstorchestrator.states.wire.GaleraInfo;
import org.sstorchestrator.states.wire.MbstreamReader;
import org.sstorchestrator.states.wire.Transport;

/**
 * Transfer 1: the donor's info files. The first data must arrive within sst-initial-timeout.
 * Accepts the 10.x and the 11.1+ info file name; a file named in the stream whose path
 * escapes the target is refused. Branches to {@code ist} when the donor bypasses the SST.
 */
public final class ReceiveMagic implements Stage<SstContext> {

    public static final String IST = "ist";
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveMagic.class);

    /** Counts bytes as they come off the wire, so both ends record the same figure. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }

    /**
     * In a VERIFY ssl-mode the donor must send back the secret our address carried, as the
     * stock joiner requires (exit 32 with its words); compared in constant time, and neither
     * value is logged (the stock script logs both).
     */
    static void checkSecret(Listening listening, GaleraInfo info) {
        if (listening.secret().isEmpty()) {
            return;
        }
        if (info.secret().isEmpty() || !listening.secret().get().equals(info.secret().get())) {
            throw StockLine.DONOR_DOES_NOT_KNOW_SECRET.failure(ExitCode.EPIPE, " (" + (info.secret().isEmpty()
                    ? "its info file has no secret line" : "the secret in its info file is not the one this joiner sent")
                    + "; the donor was not given this joiner's address with its <CN>:<secret>@, or is not the node mysqld"
                    + " chose)");
        }
    }

    /** Cleartext where the donor spoke TLS, or the other way round, shows as a stream that is not an mbstream. */
    private static String hint(WireSecurity security) {
        return security.tls().isEmpty() && security.settings().encrypt() != 1
                ? " (if the donor speaks TLS, set encrypt and ssl-mode on this joiner as on the donor)" : "";
    }

    @Override
    public String run(SstContext ctx) throws IOException {
        long started = ctx.clock.getAsLong();
        Duration limit = ctx.config.initialTimeout();
        Listening listening = ctx.facts().get(Listening.class);
        ServerSocket listener = listening.server();
        WireSecurity security = ctx.facts().get(WireSecurity.class);
        Socket plain = Transport.acceptFrom(listener, null, limit, ctx.nanos, "transfer 1 (the position)", ctx.abort,
                r -> { }, ctx.config.stream().sockOpts());
        Socket s = plain;
        Map<String, byte[]> files;
        CountingInput wire;
        InetAddress donor = plain.getInetAddress();
        // The whole of transfer 1 must arrive within sst-initial-timeout of the connect, not each
        // read: a peer sending a byte just inside every read timeout would hold the joiner for ever.
        Deadline deadline = limit.isZero() ? Deadline.NONE : Deadline.closing(plain, limit);
        try {
            ctx.recorder.attribute("peer", donor.getHostAddress());
            s = security.accepted(ctx, plain, limit.isZero() ? ctx.config.idleTimeout() : limit, "magic",
                    "transfer 1 (the position)");
            wire = new CountingInput(s.getInputStream());
            try (java.io.InputStream layered = ctx.pipeline.receiving(wire)) { // closing ends a child decompressor
                files = MbstreamReader.readAll(layered);
            }
        } catch (IOException | SstException e) {
            ctx.abort.check();
            if (deadline.expired()) {
                throw new SstException(ExitCode.EPIPE, "the donor connected but sent no complete position within "
                        + limit.toSeconds() + " s; raise [sst] sst-initial-timeout or check the donor's log");
            }
            if (e instanceof SstException sst) {
                throw sst;
            }
            throw new SstException(ExitCode.EPIPE, "receiving transfer 1 from the donor failed: " + e.getMessage()
                    + hint(security), e);
        } finally {
            deadline.cancel();
            ctx.abort.unregister(s);
            ctx.abort.unregister(plain);
            Transport.closeQuietly(s);
            Transport.closeQuietly(plain);
        }
        ctx.abort.check();
        byte[] infoFile = files.containsKey(GaleraInfo.NEW_NAME) ? files.get(GaleraInfo.NEW_NAME) : files.get(GaleraInfo.LEGACY_NAME);
        if (infoFile == null) {
            throw new SstException(ExitCode.EPIPE, "transfer 1 ended without an info file (" + GaleraInfo.LEGACY_NAME
                    + " or " + GaleraInfo.NEW_NAME + "); it held " + files.keySet());
        }
        GaleraInfo info = GaleraInfo.parse("the donor's info file", infoFile);
        for (String name : files.keySet()) {
            if (name.contains("/")) { // a donor sends flat files here; a path is the peer's fault, not our disk's
                throw new SstException(ExitCode.EPIPE, "transfer 1 carries " + name + " in a subdirectory; it holds"
                        + " only flat files (" + files.keySet() + ")");
            }
        }
        checkSecret(listening, info);
        Path base = ctx.tmpBase();
        Path magicDir = SstFiles.createTempDir(base, "magic");
        ctx.recorder.attribute(SstFiles.TMP_BASE, base.toAbsolutePath().normalize().toString());
        ctx.recorder.attribute(SstFiles.TMP_MAGIC, magicDir.toString());
        ctx.facts().put(new MagicDir(magicDir)); // from here on, cleanup and abort remove it whatever fails
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(magicDir.resolve(f.getKey()), f.getValue());
        }
        info.peerRun().ifPresent(r -> ctx.recorder.attribute("peer_run", r));
        ctx.recorder.transfer("magic", wire.count, started, ctx.clock.getAsLong());
        if (ctx.reportsProgress()) {
            info.total().ifPresent(ctx.control::total);
        }
        boolean ist = files.containsKey(GaleraInfo.IST_NAME);
        ctx.facts().put(new FromDonor(info, donor, ist));
        LOG.info("Donor position {}{}", info.position(), ist ? "; the donor bypasses SST for IST" : "");
        if (ist) {
            StockLine.IST_RECEIVED.log(GaleraInfo.IST_NAME);
        } else {
            StockLine.PROCEEDING.log();
        }
        if (ist) {
            Transport.closeQuietly(listener); // no transfer 2: nothing else may connect
        }
        return ist ? IST : OK;
    }
}
