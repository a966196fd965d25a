package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;

/** wipe_early: plan_space found no room for both, so the old data goes before the stream, as the stock script does. */
class WipeEarlyTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @BeforeEach
    void anOldDatadir() throws Exception {
        for (String old : List.of("ibdata1", "ib_logfile0", "shop/orders.ibd", "aria_log.00000001")) {
            f.write(f.datadir.resolve(old), "old data");
        }
        for (String kept : List.of("grastate.dat", "galera.cache", "node1.err", SstFiles.IN_PROGRESS, SstLock.FILE)) {
            f.write(f.datadir.resolve(kept), "kept");
        }
    }

    @Test
    void wipeEarlyRemovesTheOldDataBeforeTheStreamAndTellsTheRunThatTheWipeBegan() throws Exception {
        SstContext ctx = f.joiner();
        ctx.facts().put(StageFixture.fromDonor(1L << 40, false));

        assertEquals(Stage.OK, new WipeEarly().run(ctx));

        assertEquals(List.of("galera.cache", "grastate.dat", "node1.err", SstFiles.IN_PROGRESS, SstLock.FILE),
                StageFixture.list(f.datadir));
        assertTrue(ctx.facts().has(WipeBegan.class), "from here on a failure must keep .sst (JoinerAbort)");
        assertEquals("4", f.recorder.attributes.get("wiped_entries"));
        assertEquals(List.of(), f.printed());
    }

    @Test
    void theLaterWipeAfterPrepareFindsNothingLeftToRemoveButTheNewBackup() throws Exception {
        SstContext ctx = f.joiner();
        new WipeEarly().run(ctx);
        f.write(ctx.sstDir().resolve("ibdata1"), "the new data");

        new WipeDatadir().run(ctx);

        assertEquals("0", f.recorder.attributes.get("wiped_entries"));
        assertEquals(List.of("ibdata1"), StageFixture.list(ctx.sstDir()));
    }
}
