package org.sstorchestrator.cli.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.RunJournal;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.OwnerLiveness;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;

/**
 * A running SST as watchdogs and Prometheus see it (issue 22). Its status beside
 * sst_in_progress ({@link LiveStatus}), rewritten every second while the run holds the
 * datadir's lock, and removed as the run ends; with [sst] metrics-dir, the node's metrics file
 * ({@link NodeMetrics}) at each stage change, every few seconds while a stream moves, and once
 * the run's end is recorded. It learns the transitions from the run's journal, which it wraps
 * ({@link #observe}: each is committed first, then shown), and reads the rest back from the
 * history. All of it happens on one daemon thread, off the stages' path; nothing here fails
 * the SST: a file it cannot write costs one WARNING.
 */
public final class LiveRun {

    private static final Logger LOG = LoggerFactory.getLogger(LiveRun.class);
    static final long HEARTBEAT_MS = 1000;
    /** While bytes move, the metrics file follows them this often (a scrape is every 15-60 s). */
    static final long METRICS_EVERY_MS = 5000;
    /** The window the rate is measured over. */
    private static final long RATE_WINDOW_MS = 5000;
    /** A stream is running while its samples (every 500 ms) keep coming. */
    private static final long SAMPLE_GAP_MS = 3000;

    private final String runId;
    private final String role;
    private final Path datadir;
    private final Optional<Path> metricsDir;
    private final HistoryQueries history;
    private final LongSupplier clock;
    private final long pid = ProcessHandle.current().pid();
    private final Long pidStartedMs = OwnerLiveness.startOf(ProcessHandle.current());
    private final long startedMs;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "live-status");
        t.setDaemon(true);
        return t;
    });
    private volatile String stage = "setup";
    private volatile long stageSinceMs;
    private volatile boolean ending;
    // the rest only on the thread
    private boolean holdsDatadir;
    private final Deque<long[]> samples = new ArrayDeque<>();
    private String samplesStage = "";
    private long lastBytes = -1;
    private long progressMs;
    private long metricsBytes;
    private long metricsAtMs;
    private boolean statusWarned;
    private boolean metricsWarned;

    public LiveRun(String runId, String role, Path datadir, Optional<Path> metricsDir, HistoryQueries history,
                   LongSupplier clock) {
        this.runId = runId;
        this.role = role;
        this.datadir = datadir;
        this.metricsDir = metricsDir;
        this.history = history;
        this.clock = clock;
        this.startedMs = clock.getAsLong();
        this.stageSinceMs = startedMs;
    }

    /** Starts the heartbeat; a status left by a dead run goes first (the probe would call this run stuck). */
    public void start() {
        thread.execute(this::removeStaleStatus);
        thread.scheduleAtFixedRate(this::heartbeat, 0, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
    }

    /** The run's journal, showing each transition once it is committed. */
    public RunJournal observe(RunJournal journal) {
        return new RunJournal() {
            @Override
            public void stageStarted(String run, String name) {
                journal.stageStarted(run, name);
                stage = name;
                stageSinceMs = clock.getAsLong();
                thread.execute(LiveRun.this::stageChanged);
            }

            @Override
            public void stageCompleted(String run, String name, String outcome) {
                journal.stageCompleted(run, name, outcome);
            }

            @Override
            public void stageFailed(String run, String name, int code, String message) {
                journal.stageFailed(run, name, code, message);
                thread.execute(LiveRun.this::writeMetrics);
            }

            @Override
            public void runEnded(String run, boolean completed, int exitCode, String message) {
                ending = true;
                onThread(LiveRun.this::removeStatus);
                journal.runEnded(run, completed, exitCode, message);
                onThread(LiveRun.this::writeMetrics);
                thread.shutdown();
            }
        };
    }

    /**
     * Stops the thread, without interrupting it: it may be reading the history, and an interrupt
     * in H2's file I/O closes the database under the run (promise P11).
     */
    public void close() {
        ending = true;
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stageChanged() {
        heartbeat();
        writeMetrics();
    }

    private void heartbeat() {
        try {
            if (ending) {
                return;
            }
            LiveStatus s = status(clock.getAsLong());
            holdsDatadir = holdsDatadir || SstLock.heldBy(datadir, pid); // another SST's status is never overwritten
            if (holdsDatadir) {
                AtomicFile.write(datadir.resolve(SstFiles.STATUS), s.toJson().getBytes(StandardCharsets.UTF_8), false);
            }
            if (s.bytes() != metricsBytes && clock.getAsLong() - metricsAtMs >= METRICS_EVERY_MS) {
                writeMetrics();
            }
        } catch (IOException | RuntimeException e) {
            if (!statusWarned) {
                statusWarned = true;
                LOG.warn("Could not write the live status {}: {} (the SST goes on)", datadir.resolve(SstFiles.STATUS),
                        e.getMessage());
            }
        }
    }

    /** The status now: the stage from the journal, the stream from the newest progress sample. */
    LiveStatus status(long now) {
        String current = stage;
        long since = stageSinceMs;
        Optional<HistoryQueries.Progress> p = history.progress(runId);
        boolean stream = p.isPresent() && p.get().stage().equals(current) && now - p.get().atMs() <= SAMPLE_GAP_MS;
        if (!current.equals(samplesStage)) {
            samples.clear();
            samplesStage = current;
            lastBytes = -1;
        }
        long bytes = p.map(HistoryQueries.Progress::bytes).orElse(0L);
        if (stream && (samples.isEmpty() || samples.peekLast()[0] != p.get().atMs())) {
            samples.addLast(new long[] {p.get().atMs(), bytes});
        }
        while (samples.size() > 2 && samples.peekLast()[0] - samples.peekFirst()[0] > RATE_WINDOW_MS) {
            samples.removeFirst();
        }
        if (stream && bytes > lastBytes) {
            progressMs = lastBytes < 0 ? Math.max(since, p.get().atMs()) : p.get().atMs();
            lastBytes = bytes;
        }
        progressMs = Math.max(progressMs, since);
        long rate = 0;
        if (samples.size() >= 2 && samples.peekLast()[0] > samples.peekFirst()[0]) {
            rate = (samples.peekLast()[1] - samples.peekFirst()[1]) * 1000 / (samples.peekLast()[0] - samples.peekFirst()[0]);
        }
        Long total = p.map(HistoryQueries.Progress::total).orElse(null);
        Long eta = stream && total != null && rate > 0 && total >= bytes ? (total - bytes) / rate : null;
        return new LiveStatus(runId, role, current, since, bytes, total, rate, eta, stream, progressMs, pid, pidStartedMs,
                startedMs, now);
    }

    private void writeMetrics() {
        if (metricsDir.isEmpty()) {
            return;
        }
        try {
            NodeMetrics.write(history, metricsDir.get());
            metricsAtMs = clock.getAsLong();
            metricsBytes = history.progress(runId).map(HistoryQueries.Progress::bytes).orElse(0L);
        } catch (IOException | RuntimeException e) {
            if (!metricsWarned) {
                metricsWarned = true;
                LOG.warn("Could not write {} in [sst] metrics-dir={}: {}; check that the directory exists and that this"
                        + " user may write to it (the SST goes on)", NodeMetrics.FILE, metricsDir.get(), e.getMessage());
            }
        }
    }

    /** The status goes with the run, as sst_in_progress does; never another run's. */
    private void removeStatus() {
        try {
            Optional<LiveStatus> s = LiveStatus.read(datadir);
            if (s.isPresent() && s.get().run().equals(runId)) {
                Files.deleteIfExists(datadir.resolve(SstFiles.STATUS));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove the live status {}: {}", datadir.resolve(SstFiles.STATUS), e.getMessage());
        }
    }

    private void removeStaleStatus() {
        try {
            Optional<LiveStatus> s = LiveStatus.read(datadir);
            if (s.isPresent() && !OwnerLiveness.isAlive(s.get().pid(), s.get().pidStartedMs())) {
                Files.deleteIfExists(datadir.resolve(SstFiles.STATUS));
                LOG.info("Removed the status left by run {}, whose process is gone", s.get().run());
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: the first heartbeat replaces it once this run holds the datadir
        }
    }

    /** Runs {@code r} on the thread, after what is queued there, and waits for it (bounded). */
    private void onThread(Runnable r) {
        try {
            thread.submit(r).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("The live status did not finish: {}", e.toString());
        }
    }
}
