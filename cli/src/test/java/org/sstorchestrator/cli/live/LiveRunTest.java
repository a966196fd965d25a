package org.sstorchestrator.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.engine.RunJournal;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.persistence.OwnerLiveness;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;

/** A run shown while it runs (issue 22): its status beside the marker, and the metrics file at each stage and at its end. */
class LiveRunTest {

    private static final String RUN = "5a5a5a5a-5555-4555-8555-555555555555";

    @TempDir
    Path tmp;
    private HistoryDatabase db;
    private H2RunJournal history;
    private Path datadir;
    private Path metrics;
    private LiveRun live;
    private RunJournal journal;

    @BeforeEach
    void aRunOfThisProcess() throws Exception {
        db = HistoryDatabase.openForWriting(tmp.resolve("history"));
        history = new H2RunJournal(db, System::currentTimeMillis);
        datadir = Files.createDirectories(tmp.resolve("data"));
        metrics = Files.createDirectories(tmp.resolve("node-exporter"));
        ProcessHandle self = ProcessHandle.current();
        history.runStarted(new NewRun(RUN, "joiner", datadir.toString(), null, self.pid(), OwnerLiveness.startOf(self),
                "0.1.0", System.currentTimeMillis()));
        live = new LiveRun(RUN, "joiner", datadir, Optional.of(metrics), history.reader(), System::currentTimeMillis);
        journal = live.observe(history);
    }

    @AfterEach
    void close() {
        live.close();
        db.close();
    }

    /** Waits for what the live thread writes, on the thing itself: bounded, never a fixed sleep. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private String metricsText() {
        try {
            Path f = metrics.resolve(NodeMetrics.FILE);
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Optional<LiveStatus> status() {
        try {
            return LiveStatus.read(datadir);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Test
    void theStatusFollowsTheStageAndTheStreamOnceTheRunHoldsTheDatadirAndGoesWithTheRun() throws Exception {
        live.start();
        journal.stageStarted(RUN, "preflight");
        await("the metrics at preflight", () -> metricsText().contains("stage=\"preflight\""));
        assertFalse(Files.exists(datadir.resolve(SstFiles.STATUS)), "no status before the run holds the datadir");

        SstLock lock = SstLock.acquire(datadir, Duration.ZERO);
        journal.stageCompleted(RUN, "preflight", "ok");
        journal.stageStarted(RUN, "receive_stream");
        await("the status at receive_stream", () -> status().map(s -> s.stage().equals("receive_stream")).orElse(false));
        history.progress(RUN, "receive_stream", 1_048_576, 10_485_760L);
        await("the stream in the status", () -> status().map(s -> s.stream() && s.bytes() == 1_048_576).orElse(false));
        LiveStatus s = status().orElseThrow();
        assertEquals(10_485_760L, s.total());
        assertEquals(ProcessHandle.current().pid(), s.pid());
        assertTrue(System.currentTimeMillis() - s.heartbeatMs() < 5_000, "a fresh heartbeat");
        assertEquals(Probe.ALIVE, Probe.judge(datadir, System.currentTimeMillis(), Duration.ofSeconds(30),
                Duration.ofSeconds(10)).code());

        journal.stageCompleted(RUN, "receive_stream", "ok");
        lock.release();
        journal.runEnded(RUN, true, 0, null);

        assertFalse(Files.exists(datadir.resolve(SstFiles.STATUS)), "the status goes with the run");
        String end = metricsText();
        assertTrue(end.contains("galera_sst_in_progress{role=\"joiner\"} 0.0"), end);
        assertTrue(end.contains("galera_sst_runs_total{outcome=\"completed\",role=\"joiner\"} 1.0"), end);
        assertTrue(end.contains("galera_sst_last_run_info{outcome=\"completed\",role=\"joiner\",stage=\"receive_stream\"} 1"),
                end);
    }

    /** Two SSTs on one datadir: the second is refused at preflight, and must not have overwritten the first's status. */
    @Test
    void anotherSstsStatusIsNeverOverwrittenAndAStaleOneIsRemovedAtTheStart() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(datadir.resolve(SstLock.FILE), other.pid() + "\n");
            String theirs = new LiveStatus("6b6b6b6b-6666-4666-8666-666666666666", "donor", "stream_backup", 1, 2, null, 3,
                    null, true, 4, other.pid(), OwnerLiveness.startOf(other.toHandle()), 6, 7).toJson();
            Files.writeString(datadir.resolve(SstFiles.STATUS), theirs);
            live.start();
            journal.stageStarted(RUN, "preflight");
            await("the metrics at preflight", () -> metricsText().contains("stage=\"preflight\""));
            assertEquals(theirs, Files.readString(datadir.resolve(SstFiles.STATUS)));
        } finally {
            other.destroyForcibly().waitFor();
        }
        journal.runEnded(RUN, false, 114, "another SST is running");
        assertTrue(Files.exists(datadir.resolve(SstFiles.STATUS)), "not this run's to remove");

        LiveRun next = new LiveRun("7c7c7c7c-7777-4777-8777-777777777777", "joiner", datadir, Optional.empty(),
                history.reader(), System::currentTimeMillis);
        try {
            next.start();
            await("the stale status removed", () -> !Files.exists(datadir.resolve(SstFiles.STATUS)));
        } finally {
            next.close();
        }
    }
}
