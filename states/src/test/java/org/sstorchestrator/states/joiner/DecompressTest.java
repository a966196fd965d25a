package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;

/** decompress: a no-op for a plain backup; a qpress-compressed one is refused before any wipe. */
class DecompressTest {

    @TempDir
    Path tmp;
    private StageFixture f;
    private SstContext ctx;

    @BeforeEach
    void aReceivedBackup() throws Exception {
        f = new StageFixture(tmp);
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
}
