package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.run.SstContext;

/**
 * Whether the donor's data fits beside the old data. We receive into {@code .sst} and keep the
 * old datadir until the new one is prepared (P5), which needs room for both; a node that fell
 * out of its cluster usually has an old datadir nearly the donor's size. So: room for both →
 * on as usual; room only once the old data is gone → {@value #WIPE_FIRST} (the stock script's
 * order, recorded as its own stage); not even then → exit 28 before a byte is received, where
 * the stock script fills the disk mid-stream. Without the donor's {@code total} (a stock donor
 * may omit it) there is nothing to measure against and the usual order stands.
 */
public final class PlanSpace implements Stage<SstContext> {

    public static final String WIPE_FIRST = "wipe_first";
    /** Prepare applies the redo log in place, and mbstream writes a little beside the data: 10 % over the stream. */
    private static final double HEADROOM = 1.1;
    private static final Logger LOG = LoggerFactory.getLogger(PlanSpace.class);

    @Override
    public String run(SstContext ctx) throws IOException {
        Optional<Long> total = ctx.facts().get(FromDonor.class).info().total();
        if (total.isEmpty()) {
            LOG.info("The donor sent no total: the old data stays until the new is prepared, space permitting");
            return OK;
        }
        long need = (long) (total.get() * HEADROOM);
        long reserve = ctx.config.spaceReserve();
        // a stale .sst of an earlier run is removed before the stream (ReceiveStream): its room counts as free
        long stale = Files.isDirectory(ctx.sstDir()) ? org.sstorchestrator.states.layout.FileTree.size(ctx.sstDir()) : 0;
        long free = Files.getFileStore(ctx.datadir).getUsableSpace() + stale - reserve;
        ctx.recorder.attribute("space_needed", Long.toString(need));
        ctx.recorder.attribute("space_free", Long.toString(free));
        if (free >= need) {
            return OK;
        }
        long reclaimable = WipeDatadir.reclaimable(ctx);
        if (free + reclaimable >= need) {
            LOG.warn("The donor's data ({} MB with headroom) does not fit beside the old data ({} MB free{}):"
                    + " wiping the old data before the stream, as the stock script does", mb(need), mb(free),
                    reserve > 0 ? " over [sst] sst-space-reserve" : "");
            return WIPE_FIRST;
        }
        throw new SstException(ExitCode.ENOSPC, "the donor's data needs about " + mb(need) + " MB in " + ctx.datadir
                + ", and only " + mb(free) + " MB are free" + (reserve > 0 ? " over [sst] sst-space-reserve="
                + reserve : "") + " (" + mb(free + reclaimable) + " MB once the old data is wiped); free space on"
                + " that filesystem" + (reserve > 0 ? " or lower sst-space-reserve" : ""));
    }

    private static long mb(long bytes) {
        return Math.max(0, bytes) >> 20;
    }
}
