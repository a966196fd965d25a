package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.config.Encrypt;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.transfer.Transfers;
import org.sstorchestrator.states.wire.GaleraInfo;
import org.sstorchestrator.states.wire.MbstreamReader;
import org.sstorchestrator.wire.Chain;
import org.sstorchestrator.wire.Transfer;

/**
 * Transfer 1: the donor's info files. The first data must arrive within sst-initial-timeout.
 * Accepts the 10.x and the 11.1+ info file name; a file named in the stream whose path
 * escapes the target is refused. Branches to {@code ist} when the donor bypasses the SST.
 */
public final class ReceiveMagic implements Stage<SstContext> {

    public static final String IST = "ist";
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveMagic.class);

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
    private static String hint(Transfers security) {
        return security.tls().isEmpty() && security.settings().encrypt() != Encrypt.OPENSSL_ENC
                ? " (if the donor speaks TLS, set encrypt and ssl-mode on this joiner as on the donor)" : "";
    }

    @Override
    public String run(SstContext ctx) throws IOException {
        long started = ctx.clock.getAsLong();
        Listening listening = ctx.facts().get(Listening.class);
        Transfers wire = ctx.facts().get(Transfers.class);
        Map<String, byte[]> files;
        InetAddress donor;
        try (Transfer t = accept(ctx, wire, listening.server())) {
            donor = t.peer();
            try {
                files = MbstreamReader.readAll(t.in());
                t.close(); // closing ends a child decompressor, which is judged
            } catch (IOException | RuntimeException e) {
                throw t.failure(e, "receiving transfer 1 from the donor", hint(wire));
            }
            ctx.abort.check();
            GaleraInfo info = check(files);
            checkSecret(listening, info);
            keep(ctx, files);
            info.peerRun().ifPresent(r -> ctx.recorder.attribute("peer_run", r));
            ctx.recorder.transfer("magic", t.wireBytes(), started, ctx.clock.getAsLong());
            if (ctx.reportsProgress()) {
                info.total().ifPresent(ctx.control::total);
            }
            boolean ist = files.containsKey(GaleraInfo.IST_NAME);
            ctx.facts().put(new FromDonor(info, donor, ist));
            return ist(ctx, listening, info, ist);
        }
    }

    /**
     * The donor's connection, from anyone (transfer 1 tells who the donor is). The whole of
     * transfer 1 must arrive within sst-initial-timeout of the connect, not each read: a peer
     * sending a byte just inside every read timeout would hold the joiner for ever.
     */
    private static Transfer accept(SstContext ctx, Transfers wire, java.net.ServerSocket listener) {
        Duration limit = ctx.config.initialTimeout();
        return wire.accept(ctx, Transfers.Kind.MAGIC, listener, null, limit, r -> { }, limit.isZero() ? Optional.empty()
                : Optional.of(new Chain.Bound(limit, "the donor connected but sent no complete position within "
                + limit.toSeconds() + " s; raise [sst] sst-initial-timeout or check the donor's log")),
                limit.isZero() ? ctx.config.idleTimeout() : limit);
    }

    /** The info file (the 10.x or the 11.1+ name), and nothing but flat files beside it. */
    private static GaleraInfo check(Map<String, byte[]> files) {
        byte[] infoFile = files.containsKey(GaleraInfo.NEW_NAME) ? files.get(GaleraInfo.NEW_NAME)
                : files.get(GaleraInfo.LEGACY_NAME);
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
        return info;
    }

    /** The files of transfer 1, in a temporary directory that cleanup and abort remove whatever fails from here on. */
    private static void keep(SstContext ctx, Map<String, byte[]> files) throws IOException {
        Path base = ctx.tmpBase();
        Path magicDir = SstFiles.createTempDir(base, "magic");
        ctx.recorder.attribute(SstFiles.TMP_BASE, base.toAbsolutePath().normalize().toString());
        ctx.recorder.attribute(SstFiles.TMP_MAGIC, magicDir.toString());
        ctx.facts().put(new MagicDir(magicDir));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(magicDir.resolve(f.getKey()), f.getValue());
        }
    }

    /** The donor bypasses the SST for IST: no transfer 2, so nothing else may connect. */
    private static String ist(SstContext ctx, Listening listening, GaleraInfo info, boolean ist) {
        LOG.info("Donor position {}{}", info.position(), ist ? "; the donor bypasses SST for IST" : "");
        if (!ist) {
            StockLine.PROCEEDING.log();
            return OK;
        }
        StockLine.IST_RECEIVED.log(GaleraInfo.IST_NAME);
        Transfers.closeQuietly(listening.server());
        return IST;
    }
}
