package org.sstorchestrator.states.donor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Failure;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;

/** The donor's failure path: no backup outlives the run, the lock is released, {@code done} is never printed. */
class DonorAbortTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @BeforeEach
    void aDonorDatadir() throws Exception {
        f.write(f.datadir.resolve("ibdata1"), "the donor's data");
    }

    @Test
    void donorAbortStopsARunningBackupReleasesTheDatadirAndPrintsNothing() throws Exception {
        SstContext ctx = f.donor(4444);
        ctx.facts().put(SstLock.acquire(f.datadir, Duration.ZERO));
        ChildProcesses.Streaming backup = ctx.children.stream(Command.of(
                f.standIn("mariadb-backup", "exec sleep 30"), List.of("--backup", "--stream=mbstream")));
        ctx.failed("stream_backup", new Failure(ExitCode.EPIPE.code(), "the joiner went away"));

        assertEquals(Stage.OK, new DonorAbort().run(ctx));

        ProcessHandle child = f.recorder.started.get(0);
        child.onExit().get(5, TimeUnit.SECONDS);
        assertFalse(child.isAlive(), "no backup outlives the run");
        backup.finish();
        assertEquals(List.of("ibdata1"), StageFixture.list(f.datadir));
        assertEquals(List.of(), f.printed());
    }

    @Test
    void aRunThatFailedInPreflightHasNoLockToReleaseAndAnotherSstsMarkerStays() throws Exception {
        Files.writeString(f.datadir.resolve(SstLock.FILE), "1\n");
        SstContext ctx = f.donor(4444);
        ctx.failed("preflight", new Failure(ExitCode.EALREADY.code(), "another SST"));

        assertEquals(Stage.OK, new DonorAbort().run(ctx));

        assertEquals("1\n", Files.readString(f.datadir.resolve(SstLock.FILE)));
    }
}
