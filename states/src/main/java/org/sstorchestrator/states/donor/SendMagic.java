package org.sstorchestrator.states.donor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.mariabackup.DonorVersions;
import org.sstorchestrator.states.mariabackup.MariadbBackup;
import org.sstorchestrator.states.args.RemoteAuth;
import org.sstorchestrator.states.args.SstAddress;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.config.StreamOptions;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.wire.GaleraInfo;
import org.sstorchestrator.states.wire.MbstreamWriter;
import org.sstorchestrator.states.transfer.Transfers;
import org.sstorchestrator.wire.Transfer;

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
        Estimate estimate = ctx.facts().put(estimate(ctx, bypass));
        Optional<String> backupVersion = MariadbBackup.version(ctx);
        // what the joiner judges before it wipes anything (issue 22; an IST needs none); a stock joiner never reads it
        DonorVersions versions = new DonorVersions(bypass ? Optional.empty() : ServerVersion.of(ctx), backupVersion,
                "transfer 1");
        long started = ctx.clock.getAsLong();
        try (Transfer t = ctx.facts().get(Transfers.class).connect(ctx, Transfers.Kind.MAGIC)) {
            try {
                MbstreamWriter w = new MbstreamWriter(t.out());
                w.file(DonorPreflight.infoFileName(backupVersion), info(ctx, estimate).render());
                w.file(GaleraInfo.DONOR_NAME, (position(ctx) + "\n").getBytes(StandardCharsets.UTF_8));
                if (!bypass && versions.known()) {
                    w.file(DonorVersions.FILE, versions.render());
                }
                if (bypass) {
                    w.file(GaleraInfo.IST_NAME, "1\n".getBytes(StandardCharsets.UTF_8));
                }
                w.flush();
                t.finish(); // the layers' last blocks (a compressor's frame, encrypt=1's padding), TLS's close and the joiner's
            } catch (IOException e) {
                throw t.failure(e, "sending the position to the joiner at " + joiner.host() + ":" + joiner.port(), "");
            }
            ctx.recorder.transfer("magic", t.wireBytes(), started, ctx.clock.getAsLong());
        }
        return bypass ? IST : OK;
    }

    /** {@code --gtid --gtid-domain-id}: the position, as the info file's first line has it. */
    private static String position(SstContext ctx) {
        return ctx.args.require("gtid") + " " + ctx.args.intOption("gtid-domain-id", 0);
    }

    /** The size of the backup to come, said as the stock donor says it and told to mysqld with --progress 1. */
    private static Estimate estimate(SstContext ctx, boolean bypass) {
        Estimate estimate = new Estimate(bypass ? null : Footprint.estimate(ctx.datadir,
                !ctx.config.stream().backupCompression().isEmpty()));
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
        return estimate;
    }

    /**
     * The info file: the position, the joiner's secret if it sent one, the total (unlike the stock
     * donor we always send it: a stock joiner reads it only with --progress 1) and our run id.
     */
    private static GaleraInfo info(SstContext ctx, Estimate estimate) {
        RemoteAuth auth = RemoteAuth.parse(System.getenv("WSREP_SST_OPT_REMOTE_AUTH"));
        return new GaleraInfo(position(ctx), Optional.ofNullable(auth).map(RemoteAuth::secret),
                Optional.ofNullable(estimate.total()), Optional.of(ctx.runId));
    }
}
