package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;

/**
 * abort, the joiner's failure path: what becomes of .sst depends on what it is now (the wipe
 * began, the backup is whole, the run failed for want of space); no position is ever printed.
 */
class JoinerAbortTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private SstContext ctx;

    @BeforeEach
    void anOldDatadirAndWhatArrivedOfTheBackup() throws Exception {
        f.write(f.datadir.resolve("ibdata1"), "the old data");
        ctx = f.joiner();
        f.write(ctx.sstDir().resolve("ibdata1"), "1234567890");
    }

    private void failedWith(ExitCode code, String stage) {
        ctx.failed(stage, new Failure(code.code(), stage + " failed"));
    }

    @Test
    void joinerAbortRemovesAPartialDotSstBecauseTheOldDatadirIsWhole() throws Exception {
        failedWith(ExitCode.EPIPE, "receive_stream");

        assertEquals(Stage.OK, new JoinerAbort().run(ctx));

        assertFalse(Files.exists(ctx.sstDir()));
        assertEquals("the old data", Files.readString(f.datadir.resolve("ibdata1")));
        assertEquals(List.of("removed_backup: " + ctx.sstDir() + " (10 bytes): a partial backup (the old datadir is whole)"),
                f.recorder.notes);
    }

    @Test
    void onceWipeBeganIsAFactDotSstIsKeptEvenPartialBecauseItMayHoldTheOnlyCopy() throws Exception {
        ctx.facts().put(new WipeBegan()); // wipe_early, then the stream failed
        failedWith(ExitCode.EPIPE, "receive_stream");

        new JoinerAbort().run(ctx);

        assertEquals("1234567890", Files.readString(ctx.sstDir().resolve("ibdata1")));
        assertEquals(List.of(), f.recorder.notes);
    }

    @Test
    void aWholeBackupThatFailedInPrepareIsKeptForDiagnosis() throws Exception {
        ctx.facts().put(new Received());
        failedWith(ExitCode.EINVAL, "prepare");

        new JoinerAbort().run(ctx);

        assertTrue(Files.exists(ctx.sstDir().resolve("ibdata1")));
    }

    @Test
    void aWholeBackupIsRemovedWhenTheFailureIsENOSPCToGiveTheSpaceBack() throws Exception {
        ctx.facts().put(new Received());
        failedWith(ExitCode.ENOSPC, "prepare");

        new JoinerAbort().run(ctx);

        assertFalse(Files.exists(ctx.sstDir()));
        assertTrue(f.recorder.notes.get(0).endsWith("to give the space back (the old datadir is whole)"), f.recorder.notes.toString());
    }

    @Test
    void theFailurePathStopsChildrenReleasesWhatThisRunMadeAndNeverPrintsAPosition() throws Exception {
        Listening listening = ctx.facts().put(f.listening());
        Path magic = Files.createTempDirectory(f.tmpdir, "sst-magic-");
        ctx.facts().put(new MagicDir(magic));
        ctx.facts().put(SstLock.acquire(f.datadir, Duration.ZERO));
        f.write(f.datadir.resolve(SstFiles.IN_PROGRESS), f.runId() + "\n");
        ChildProcesses.Streaming mbstream = ctx.children.stream(Command.of(f.standIn("mbstream", "exec sleep 30"), List.of("-x")));
        failedWith(ExitCode.INTERRUPTED, "receive_stream");

        new JoinerAbort().run(ctx);

        ProcessHandle child = f.recorder.started.get(0);
        child.onExit().get(5, TimeUnit.SECONDS);
        assertFalse(child.isAlive());
        mbstream.finish();
        assertTrue(listening.server().isClosed());
        assertFalse(Files.exists(magic));
        assertEquals(List.of("ibdata1"), StageFixture.list(f.datadir), "the marker, the lock and the partial .sst are gone");
        assertEquals(List.of(), f.printed());
    }
}
