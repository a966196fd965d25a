package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;

/**
 * cleanup (success path): the port, the temporary files and the lock go; the data never; the
 * in-progress marker stays for report_position, which removes it once the position is out.
 */
class JoinerCleanupTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @Test
    void cleanupClosesThePortRemovesTransferOnesFilesAndReleasesTheDatadirButLeavesTheMarkerToTheReport()
            throws Exception {
        SstContext ctx = f.joiner();
        Listening listening = ctx.facts().put(f.listening());
        Path magic = Files.createTempDirectory(f.tmpdir, "sst-magic-");
        f.write(magic.resolve("xtrabackup_galera_info"), StageFixture.POSITION + "\n");
        ctx.facts().put(new MagicDir(magic));
        ctx.facts().put(SstLock.acquire(f.datadir, Duration.ZERO));
        f.write(f.datadir.resolve(SstFiles.IN_PROGRESS), f.runId() + "\n");
        f.write(f.datadir.resolve("ibdata1"), "the new data");
        f.write(f.datadir.resolve("xtrabackup_galera_info"), StageFixture.POSITION + "\n");

        assertEquals(Stage.OK, new JoinerCleanup().run(ctx));

        assertTrue(listening.server().isClosed());
        assertFalse(Files.exists(magic));
        assertEquals(List.of("ibdata1", SstFiles.IN_PROGRESS, "xtrabackup_galera_info"), StageFixture.list(f.datadir),
                "issue 22: the stock joiner keeps sst_in_progress until it has printed the position");
        assertEquals(List.of(), f.printed(), "the position is report_position's, after cleanup");
    }

    @Test
    void afterIstOnlyWhatThisRunMadeIsRemovedAndDotSstOfAnotherRunIsLeftAlone() throws Exception {
        SstContext ctx = f.joiner();
        f.write(ctx.sstDir().resolve("ibdata1"), "whatever an earlier run left: sst-admin cleanup decides");

        assertEquals(Stage.OK, new JoinerCleanup().run(ctx));

        assertEquals(List.of(".sst", ".sst/ibdata1"), StageFixture.list(f.datadir));
    }
}
