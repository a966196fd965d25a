package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.wire.GaleraInfo;

/**
 * The joiner's commit point, and its last act: print {@code uuid:seqno domain} (promise P1).
 * After an SST the position comes from the info file that arrived with this transfer's data
 * (the wipe removed any older one): donor_galera_info if the backup carried it, else the
 * backup's own galera info file. After IST it comes from transfer 1. Then, as the stock joiner
 * does on its way out, the in-progress marker goes ({@link JoinerCleanup} keeps it until now).
 */
public final class ReportPosition implements Stage<SstContext> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportPosition.class);

    @Override
    public String run(SstContext ctx) throws IOException {
        simulateLongSst(ctx);
        String position;
        boolean fromDonor = true;
        java.util.Optional<FromDonor> donor = ctx.facts().find(FromDonor.class);
        if (donor.isPresent() && donor.get().ist()) {
            position = donor.get().info().position();
        } else {
            Path file = SstFiles.firstExisting(ctx.datadir,
                    List.of(GaleraInfo.DONOR_NAME, GaleraInfo.NEW_NAME, GaleraInfo.LEGACY_NAME)).orElseThrow(() ->
                    StockLine.MAGIC_FILE_MISSING.failure(ExitCode.ENOENT, ": no galera info file in " + ctx.datadir
                            + " after move-back", ctx.datadir.resolve(GaleraInfo.LEGACY_NAME)));
            String first = Files.readAllLines(file).stream().findFirst().orElse("").strip();
            position = GaleraInfo.checkPosition(file.toString(), first);
            fromDonor = file.getFileName().toString().equals(GaleraInfo.DONOR_NAME);
        }
        ctx.recorder.attribute("position", position);
        // as stock: from the donor's own file (and after IST, whose transfer 1 carries it), else from the backup's
        (fromDonor ? StockLine.COORDS_FROM_DONOR : StockLine.COORDS_FROM_RECOVERY).log(position);
        ctx.control.position(position);
        try {
            JoinerCleanup.removeMarker(ctx);
        } catch (IOException e) {
            // the position is out and mysqld goes on with it: a marker left behind is sst-admin cleanup's
            LOG.warn("Could not remove {}: {}", ctx.datadir.resolve(SstFiles.IN_PROGRESS), e.getMessage());
        }
        return OK;
    }

    /**
     * The installed script's test hook MTR_SST_JOINER_DELAY: the joiner waits after the
     * transfer (SST or IST), before its position, where that script sleeps; a signal or the
     * death of mysqld still ends the wait at once.
     */
    private static void simulateLongSst(SstContext ctx) {
        int seconds = ctx.config.hooks().joinerDelaySeconds();
        if (seconds <= 0) {
            return;
        }
        StockLine.SLEEPING_FOR_MTR.log(seconds);
        try {
            ctx.abort.await(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ctx.abort.check();
    }
}
