package org.sstorchestrator.states.donor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;

/** The donor's cleanup: the datadir's SST lock is released; nothing else is touched. */
class DonorCleanupTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @BeforeEach
    void aDonorDatadir() throws Exception {
        f.write(f.datadir.resolve("ibdata1"), "the donor's data");
    }

    @Test
    void donorCleanupReleasesTheDatadirAndLeavesTheDataAlone() throws Exception {
        SstContext ctx = f.donor(4444);
        ctx.facts().put(SstLock.acquire(f.datadir, Duration.ZERO));

        assertEquals(Stage.OK, new DonorCleanup().run(ctx));

        assertEquals(List.of("ibdata1"), StageFixture.list(f.datadir));
        assertEquals(List.of(), f.printed());
    }

    @Test
    void aLockThatAnotherSstTookOverIsNotOursToRelease() throws Exception {
        SstContext ctx = f.donor(4444);
        ctx.facts().put(SstLock.acquire(f.datadir, Duration.ZERO));
        Files.writeString(f.datadir.resolve(SstLock.FILE), "1\n"); // init's pid: not this process

        new DonorCleanup().run(ctx);

        assertEquals("1\n", Files.readString(f.datadir.resolve(SstLock.FILE)));
    }

    @Test
    void afterIstWithoutALockThereIsNothingToRelease() throws Exception {
        assertEquals(Stage.OK, new DonorCleanup().run(f.donor(4444)));
        assertFalse(Files.exists(f.datadir.resolve(SstLock.FILE)));
    }
}
