package org.sstorchestrator.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.OwnerLiveness;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;

/** sst-admin status --probe's answer (issue 22), from the datadir's status, marker and lock alone. */
class ProbeTest {

    private static final long NOW = 1_763_683_200_000L;
    private static final Duration STUCK = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final String RUN = "5a5a5a5a-5555-4555-8555-555555555555";

    @TempDir
    Path datadir;
    private final ProcessHandle self = ProcessHandle.current();

    @BeforeEach
    void nothingYet() {
        assertEquals(Probe.NONE, judge().code());
    }

    private Probe.Verdict judge() {
        return Probe.judge(datadir, NOW, STUCK, HEARTBEAT);
    }

    private void status(long pid, Long pidStarted, boolean stream, long progressAgoMs, long heartbeatAgoMs) throws Exception {
        Files.writeString(datadir.resolve(SstFiles.STATUS), new LiveStatus(RUN, "joiner", "receive_stream", NOW - 60_000,
                31_457_280, 104_857_600L, 10_485_760, 7L, stream, NOW - progressAgoMs, pid, pidStarted, NOW - 70_000,
                NOW - heartbeatAgoMs).toJson());
    }

    @Test
    void aRunThatHeartbeatsAndMovesBytesIsAlive() throws Exception {
        status(self.pid(), OwnerLiveness.startOf(self), true, 500, 400);

        Probe.Verdict v = judge();

        assertEquals(Probe.ALIVE, v.code());
        assertEquals("alive: run 5a5a5a5a (joiner, at receive_stream), 30.0 MB of 100.0 MB, 10.0 MB/s, ETA 7 s,"
                + " heartbeat 400 ms ago", v.reason());
    }

    @Test
    void aStreamThatMovedNoByteForTheGivenTimeIsStuckButAStageWithoutAStreamIsNot() throws Exception {
        status(self.pid(), OwnerLiveness.startOf(self), true, 31_000, 400);
        Probe.Verdict v = judge();
        assertEquals(Probe.STUCK, v.code());
        assertEquals(Probe.Kind.STUCK, v.kind());
        assertTrue(v.reason().contains("has moved no byte of its stream for 31 s"), v.reason());

        status(self.pid(), OwnerLiveness.startOf(self), false, 600_000, 400);
        assertEquals(Probe.ALIVE, judge().code(), "prepare moves no byte for as long as it takes");
    }

    @Test
    void aRunWhoseHeartbeatStoppedIsStuck() throws Exception {
        status(self.pid(), OwnerLiveness.startOf(self), false, 0, 11_000);

        Probe.Verdict v = judge();

        assertEquals(Probe.STUCK, v.code());
        assertTrue(v.reason().contains("no heartbeat for 11 s"), v.reason());
    }

    /** A pid alone proves nothing: after a crash it may be another process's. */
    @Test
    void aStatusWhoseProcessIsGoneOrWasAnotherIsStaleAndNamesTheCleanup() throws Exception {
        status(self.pid(), OwnerLiveness.startOf(self) - 3_600_000, true, 0, 0);

        Probe.Verdict v = judge();

        assertEquals(Probe.STUCK, v.code());
        assertEquals(Probe.Kind.STALE, v.kind());
        assertTrue(v.reason().contains("is not running any more") && v.reason().contains("sst-admin cleanup 5a5a5a5a"),
                v.reason());
    }

    @Test
    void aMarkerWithoutAStatusIsAliveWhileALiveProcessHoldsTheDatadirAndStaleOtherwise() throws Exception {
        Files.writeString(datadir.resolve(SstFiles.IN_PROGRESS), RUN + "\n");
        Process holder = new ProcessBuilder("sleep", "60").start(); // the stock script, say, which writes no status
        try {
            Files.writeString(datadir.resolve(SstLock.FILE), holder.pid() + "\n");
            assertEquals(Probe.ALIVE, judge().code(), judge().reason());
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Probe.Verdict v = judge();
        assertEquals(Probe.Kind.STALE, v.kind(), v.reason());
        assertTrue(v.reason().contains("run 5a5a5a5a") && v.reason().contains("sst-admin cleanup 5a5a5a5a"), v.reason());
    }

    @Test
    void aStatusThatCannotBeReadIsNeitherAliveNorNone() throws Exception {
        Files.writeString(datadir.resolve(SstFiles.STATUS), "{\"run\": \"x\", \"bytes\": ");

        assertEquals(Probe.UNKNOWN, judge().code());
    }

    @Test
    void theStatusReadsBackAsWritten() {
        LiveStatus s = new LiveStatus(RUN, "donor", "stream_backup", 1, 2, null, 3, null, true, 4, 5, null, 6, 7);
        assertEquals(s, LiveStatus.parse(s.toJson()));
        assertEquals("{\"a\": \"q\\\"\\\\\\n\\u0001\"}", FlatJson.write(java.util.Map.of("a", "q\"\\\n\u0001")));
        assertEquals(java.util.Map.of("a", "q\"\\\n\u0001"), FlatJson.parse("{\"a\": \"q\\\"\\\\\\n\\u0001\"}"));
    }
}
