package org.sstorchestrator.states.layout;

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
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.LockContender;
import org.sstorchestrator.states.SstException;

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

    /** Issue 6: the lock was check-then-write, so two SSTs starting together could both take the datadir. */
    @org.junit.jupiter.api.RepeatedTest(10)
    void ofSixSstsThatFindTheSameStaleMarkerAtOnceExactlyOneTakesTheDatadir() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(datadir.resolve(SstLock.FILE), gone.pid() + "\n");
        Path go = datadir.resolveSibling(datadir.getFileName() + ".go");
        java.util.List<Process> contenders = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), LockContender.class.getName(), datadir.toString(), go.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            contenders.add(p);
        }
        java.util.List<java.io.BufferedReader> outs = new java.util.ArrayList<>();
        for (Process p : contenders) {
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            assertEquals("ready", r.readLine());
            outs.add(r);
        }
        Files.createFile(go);
        java.util.List<String> said = new java.util.ArrayList<>();
        for (java.io.BufferedReader r : outs) {
            said.add(r.readLine());
        }
        Files.createFile(Path.of(go + ".release")); // only now may a winner let go
        for (Process p : contenders) {
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        Files.deleteIfExists(go);
        Files.deleteIfExists(Path.of(go + ".release"));
        assertEquals(1, said.stream().filter("won"::equals).count(), said.toString());
        assertEquals(5, said.stream().filter("lost 114"::equals).count(), said.toString());
    }
}
