package org.sstorchestrator.states;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promise P9: one SST per datadir, and a stale marker is known by its owner's liveness (pid + start time). */
class SstLockTest {

    @TempDir
    Path datadir;

    @Test
    void aLiveOwnerKeepsTheDatadirAndTheNextSstEndsWith114() throws Exception {
        Process owner = new ProcessBuilder("sleep", "60").start();
        try {
            Thread.sleep(50);
            Files.writeString(datadir.resolve(SstLock.FILE), owner.pid() + "\n");
            SstException e = assertThrows(SstException.class, () -> SstLock.acquire(datadir, Duration.ofMillis(300)));
            assertEquals(ExitCode.EALREADY, e.code());
            assertTrue(e.getMessage().contains("pid " + owner.pid()), e.getMessage());
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void aDeadOwnersMarkerIsStaleAndTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(datadir.resolve(SstLock.FILE), gone.pid() + "\n");
        SstLock lock = SstLock.acquire(datadir, Duration.ZERO);
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(datadir.resolve(SstLock.FILE)));
        lock.release();
        assertFalse(Files.exists(datadir.resolve(SstLock.FILE)));
    }

    @Test
    void aPidReusedByAProcessStartedAfterTheMarkerWasWrittenDoesNotHoldIt() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "60").start();
        try {
            Path file = datadir.resolve(SstLock.FILE);
            Files.writeString(file, stranger.pid() + "\n");
            // the marker predates the process now holding that pid: the real owner died, the pid was reused
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
            assertTrue(SstLock.liveOwner(file).isEmpty());
            SstLock.acquire(datadir, Duration.ZERO).release();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void garbageInTheMarkerIsNobodysLock() throws Exception {
        Files.writeString(datadir.resolve(SstLock.FILE), "not a pid; rm -rf /\n");
        assertTrue(SstLock.liveOwner(datadir.resolve(SstLock.FILE)).isEmpty());
    }
}
