package org.sstorchestrator.states.donor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.DonorVersions;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.MariadbBackup;
import org.sstorchestrator.states.RemoteAuth;
import org.sstorchestrator.states.SstAddress;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.WireSecurity;
import org.sstorchestrator.states.config.StreamOptions;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.tls.PeerName;
import org.sstorchestrator.states.wire.GaleraInfo;
import org.sstorchestrator.states.wire.MbstreamWriter;
import org.sstorchestrator.states.wire.Transport;

/**
 * Transfer 1: the position ({@code --gtid --gtid-domain-id}), the joiner's secret if it sent
 * one, and our run id (a tag the stock joiner ignores), as an mbstream of the info files, with
 * this donor's server and mariadb-backup versions beside them ({@link DonorVersions}),
 * under TLS or encrypt=1 when configured (the secret never travels in cleartext then).
 * Written from memory: unlike the stock script nothing is written into the donor's datadir.
 * In IST bypass, prints {@code continue} first and adds {@code xtrabackup_ist}.
 */
public final class SendMagic implements Stage<SstContext> {

    public static final String IST = "ist";

    @Override
    public String run(SstContext ctx) throws IOException {
        boolean bypass = ctx.args.flag("bypass");
        if (bypass) {
            StockLine.BYPASSING_FOR_IST.log();
            ctx.control.resume();
        }
        SstAddress joiner = ctx.args.address();
        String position = ctx.args.require("gtid") + " " + ctx.args.intOption("gtid-domain-id", 0);
        RemoteAuth auth = RemoteAuth.parse(System.getenv("WSREP_SST_OPT_REMOTE_AUTH"));
        WireSecurity security = ctx.facts().get(WireSecurity.class);
        Estimate estimate = ctx.facts().put(new Estimate(bypass ? null : Footprint.estimate(ctx.datadir,
                !ctx.config.stream().backupCompression().isEmpty())));
        if (estimate.total() != null && (ctx.reportsProgress()
                || ctx.config.stream().progress().kind() != StreamOptions.Progress.Kind.NONE)) {
            StockLine.ESTIMATING.log(); // the stock donor estimates only then
            StockLine.TO_TRANSFER.log(estimate.total());
        }
        if (estimate.total() != null && ctx.reportsProgress()) {
            ctx.control.total(estimate.total());
        }
        if (!bypass) {
            StockLine.STREAMING_GTID.log();
        }
        // Unlike the stock donor we always send total: a stock joiner reads it only with --progress 1.
        GaleraInfo info = new GaleraInfo(position, Optional.ofNullable(auth).map(RemoteAuth::secret),
                Optional.ofNullable(estimate.total()), Optional.of(ctx.runId));
        Optional<String> backupVersion = MariadbBackup.version(ctx);
        String infoName = DonorPreflight.infoFileName(backupVersion);
        // what the joiner judges before it wipes anything (issue 22; an IST needs none); a stock joiner never reads it
        DonorVersions versions = new DonorVersions(bypass ? Optional.empty() : ServerVersion.of(ctx), backupVersion,
                "transfer 1");
        long started = ctx.clock.getAsLong();
        Socket plain = Transport.connect(joiner.socketHost(), joiner.port(), ctx.config.connectTimeout(), ctx.abort,
                ctx.nanos, ctx.config.stream().sockOpts());
        Socket s = plain;
        ctx.recorder.attribute("peer", joiner.host() + ":" + joiner.port());
        long bytes;
        try {
            s = security.connected(ctx, plain, joiner.socketHost(), PeerName.expected(security.settings(), auth,
                    joiner.host()), ctx.config.connectTimeout(), "magic", "transfer 1 (the position)");
            // bytes as they go onto the wire, after the compressor, so both ends record the same figure
            CountingStream counted = new CountingStream(s.getOutputStream());
            OutputStream out = ctx.pipeline.sending(new KeepOpen(counted));
            MbstreamWriter w = new MbstreamWriter(out);
            w.file(infoName, info.render());
            w.file(GaleraInfo.DONOR_NAME, (position + "\n").getBytes(StandardCharsets.UTF_8));
            if (!bypass && versions.known()) {
                w.file(DonorVersions.FILE, versions.render());
            }
            if (bypass) {
                w.file(GaleraInfo.IST_NAME, "1\n".getBytes(StandardCharsets.UTF_8));
            }
            w.flush();
            // the pipeline's last blocks: a compressor's frame (a child one exits, and is judged), encrypt=1's
            // padding; the socket stays open for the end below
            out.close();
            counted.flush();
            bytes = counted.count;
            WireSecurity.awaitPeerClose(s, ctx.config.idleTimeout(), "transfer 1 (the position)");
        } catch (IOException e) {
            ctx.abort.check();
            throw new SstException(ExitCode.EPIPE, "sending the position to the joiner at " + joiner.host() + ":"
                    + joiner.port() + " failed: " + e.getMessage(), e);
        } finally {
            ctx.abort.unregister(s);
            ctx.abort.unregister(plain);
            Transport.closeQuietly(s);
            Transport.closeQuietly(plain);
        }
        ctx.recorder.transfer("magic", bytes, started, ctx.clock.getAsLong());
        return bypass ? IST : OK;
    }

    /** Lets the pipeline finish its stream without closing the socket under it. */
    private static final class KeepOpen extends java.io.FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
