package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.run.SstContext;

/**
 * plan_space's three outcomes: room for both (ok), room once the old data is gone
 * (wipe_first), no room at all (28 before a byte is received). The sizes are sparse files,
 * which count at their full size and take no room; [sst] sst-space-reserve brings the
 * filesystem's free space down to about 1 GiB, so the outcome does not depend on the disk the
 * test runs on, whatever else is writing to it.
 */
class PlanSpaceTest {

    private static final long GIB = 1L << 30;

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @BeforeEach
    void anOldDatadirOf10GiB() throws Exception {
        StageFixture.sparse(f.datadir.resolve("ibdata1"), 8 * GIB);
        StageFixture.sparse(f.datadir.resolve("shop/orders.ibd"), 2 * GIB);
        f.write(f.datadir.resolve("grastate.dat"), "kept by the wipe, so not reclaimable\n");
    }

    /** A joiner whose filesystem has about 1 GiB free over its reserve, told the donor sends {@code total}. */
    private SstContext joinerWith1GiBFree(Long total) throws Exception {
        long usable = Files.getFileStore(f.datadir).getUsableSpace();
        f.option("sst", "sst-space-reserve", Long.toString(Math.max(0, usable - GIB)));
        SstContext ctx = f.joiner();
        ctx.facts().put(StageFixture.fromDonor(total, false));
        return ctx;
    }

    @Test
    void aBackupThatFitsBesideTheOldDataKeepsTheOldDataUntilTheNewIsPrepared() throws Exception {
        SstContext ctx = joinerWith1GiBFree(100L << 20);

        assertEquals(Stage.OK, new PlanSpace().run(ctx));

        assertEquals(Long.toString((long) ((100L << 20) * 1.1)), f.recorder.attributes.get("space_needed"));
        // about 1 GiB: other processes on this machine free and take disk between the two measurements
        assertTrue(Long.parseLong(f.recorder.attributes.get("space_free")) <= GIB + (64L << 20), f.recorder.attributes.toString());
    }

    @Test
    void aBackupThatFitsOnlyOnceTheOldDataIsGoneTakesTheStockOrderAndWipesFirst() throws Exception {
        SstContext ctx = joinerWith1GiBFree(4 * GIB);

        assertEquals(PlanSpace.WIPE_FIRST, new PlanSpace().run(ctx));

        assertTrue(Files.exists(f.datadir.resolve("ibdata1")), "plan_space only plans: wipe_early wipes");
    }

    @Test
    void aBackupThatWouldNotFitEvenOnceTheOldDataIsWipedIsExit28BeforeTheStream() throws Exception {
        SstContext ctx = joinerWith1GiBFree(20 * GIB);

        SstException e = failsWith(ExitCode.ENOSPC, () -> new PlanSpace().run(ctx));

        assertTrue(e.getMessage().contains("needs about 22528 MB in " + f.datadir), e.getMessage());
        assertTrue(e.getMessage().contains("sst-space-reserve"), e.getMessage());
        assertTrue(Files.exists(f.datadir.resolve("ibdata1")), "the old data stays: the node can start on it");
    }

    @Test
    void aStaleDotSstOfAnEarlierRunCountsAsFreeSpaceBecauseTheStreamRemovesItFirst() throws Exception {
        StageFixture.sparse(f.datadir.resolve(".sst/ibdata1"), 10 * GIB);
        SstContext ctx = joinerWith1GiBFree(4 * GIB);

        assertEquals(Stage.OK, new PlanSpace().run(ctx));
    }

    @Test
    void withoutTheDonorsTotalThereIsNothingToMeasureAndTheUsualOrderStands() throws Exception {
        SstContext ctx = joinerWith1GiBFree(null);

        assertEquals(Stage.OK, new PlanSpace().run(ctx));

        assertEquals(null, f.recorder.attributes.get("space_needed"));
    }

    /** Issue 9: old data in an InnoDB directory apart from the datadir, on the same filesystem, is freed by the wipe too. */
    @Test
    void oldDataInASeparateInnodbDirectoryOnTheSameFilesystemCountsAsReclaimable() throws Exception {
        Path undo = f.root.resolve("undo");
        StageFixture.sparse(undo.resolve("undo001"), 6 * GIB);
        SstContext without = joinerWith1GiBFree(12 * GIB);
        failsWith(ExitCode.ENOSPC, () -> new PlanSpace().run(without));

        f.option("mysqld", "innodb-undo-directory", undo.toString());
        SstContext with = joinerWith1GiBFree(12 * GIB);

        assertEquals(PlanSpace.WIPE_FIRST, new PlanSpace().run(with));
    }
}
