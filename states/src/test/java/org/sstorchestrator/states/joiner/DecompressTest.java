package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.run.SstContext;

/** decompress: a no-op for a plain backup; a qpress-compressed one is refused before any wipe. */
class DecompressTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private SstContext ctx;

    @BeforeEach
    void aReceivedBackup() throws Exception {
        f.write(f.datadir.resolve("ibdata1"), "the old data");
        ctx = f.joiner();
        ctx.facts().put(new Received());
        f.write(ctx.sstDir().resolve("ibdata1"), "new");
        f.write(ctx.sstDir().resolve("xtrabackup_checkpoints"), "backup_type = full-backuped\n");
    }

    @Test
    void aBackupWithoutCompressedFilesPassesUntouched() throws Exception {
        List<String> before = StageFixture.list(f.datadir);

        assertEquals(Stage.OK, new Decompress().run(ctx));

        assertEquals(before, StageFixture.list(f.datadir));
    }

    @Test
    void qpressCompressedFilesAreRefusedWith22NamingTheDonorOptionAndNothingIsWiped() throws Exception {
        f.write(ctx.sstDir().resolve("shop/orders.ibd.qp"), "qpress");
        f.write(ctx.sstDir().resolve("ibdata2.qp"), "qpress");

        SstException e = failsWith(ExitCode.EINVAL, () -> new Decompress().run(ctx));

        assertTrue(e.getMessage().contains("2 qpress-compressed files") && e.getMessage().contains("'compress'"),
                e.getMessage());
        assertEquals("the old data", Files.readString(f.datadir.resolve("ibdata1")));
    }

    /** Issue 10: with qpress there (a stand-in: Debian 12 has none), each file is expanded as the stock script does. */
    @Test
    void withQpressEachFileIsExpandedBesideItselfAndTheQpFilesGo() throws Exception {
        f.write(ctx.sstDir().resolve("shop/orders.ibd.qp"), "qpress");
        f.write(ctx.sstDir().resolve("ibdata2.qp"), "qpress");
        f.standIn("qpress", "b=${2##*/}; printf 'expanded\\n' > \"$3/${b%.qp}\"");

        assertEquals(Stage.OK, new Decompress().run(ctx));

        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(List.of(
                List.of("-dT" + cpus, ctx.sstDir().resolve("ibdata2.qp").toString(), ctx.sstDir().toString()),
                List.of("-dT" + cpus, ctx.sstDir().resolve("shop/orders.ibd.qp").toString(),
                        ctx.sstDir().resolve("shop").toString())), f.calls("qpress"));
        assertEquals("expanded\n", Files.readString(ctx.sstDir().resolve("shop/orders.ibd")));
        assertTrue(!Files.exists(ctx.sstDir().resolve("ibdata2.qp")) && !Files.exists(ctx.sstDir().resolve("shop/orders.ibd.qp")),
                "the .qp files are removed once all are expanded");
        assertEquals("the old data", Files.readString(f.datadir.resolve("ibdata1")));
    }

    @Test
    void aFailingQpressIs22AsStockAndKeepsEverything() throws Exception {
        f.write(ctx.sstDir().resolve("ibdata2.qp"), "qpress");
        f.standIn("qpress", "echo 'qpress: corrupt archive' >&2; exit 1");

        SstException e = failsWith(ExitCode.EINVAL, () -> new Decompress().run(ctx));

        assertTrue(e.getMessage().startsWith("Decompression failed. Exit code: 1"), e.getMessage());
        assertTrue(Files.exists(ctx.sstDir().resolve("ibdata2.qp")), "nothing is deleted after a failure");
        assertEquals("the old data", Files.readString(f.datadir.resolve("ibdata1")));
    }
}
