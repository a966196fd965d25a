package org.sstorchestrator.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.persistence.OwnerLiveness;

/**
 * The metrics file (issue 22) from a fixture history: Prometheus' text format, counters rebuilt
 * from the record, the running run's stage and stream, the last finished run's figures. The
 * sample in docs/ is this test's output (-Dregenerate.docs=true rewrites it).
 */
class NodeMetricsTest {

    private static final Path SAMPLE = Path.of("..", "docs", "metrics-sample.prom");
    private static final String[] JOINER_STAGES = {"preflight", "listen", "receive_magic", "check_versions", "plan_space",
        "receive_stream", "decompress", "prepare", "wipe_datadir", "drop_binlogs", "move_back", "cleanup", "report_position"};

    @TempDir
    Path tmp;

    /** A joiner that completed, a donor that failed and one that completed, a joiner killed mid-stream, one running now. */
    private Path history() {
        Path history = tmp.resolve("history");
        long[] now = {1_763_683_200_000L};
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            H2RunJournal j = new H2RunJournal(db, () -> now[0] += 700);
            String done = "11111111-1111-4111-8111-111111111111";
            j.runStarted(new NewRun(done, "joiner", "/var/lib/mysql", null, 1, 42L, "0.1.0", now[0]));
            passes(j, done, JOINER_STAGES);
            j.transfer(done, "receive_magic", "magic", 412, now[0], now[0] + 10, true);
            j.transfer(done, "receive_stream", "backup", 104_857_600, now[0], now[0] + 900, true);
            j.runEnded(done, true, 0, null);
            String failed = "22222222-2222-4222-8222-222222222222";
            j.runStarted(new NewRun(failed, "donor", "/var/lib/mysql", "10.0.0.3:4444", 1, 42L, "0.1.0", now[0]));
            j.stageStarted(failed, "preflight");
            j.stageFailed(failed, "preflight", 42, "mariadb-backup not found in PATH (/usr/bin)");
            j.stageStarted(failed, "abort");
            j.stageCompleted(failed, "abort", "ok");
            j.runEnded(failed, false, 42, "mariadb-backup not found in PATH (/usr/bin)");
            String sent = "33333333-3333-4333-8333-333333333333";
            j.runStarted(new NewRun(sent, "donor", "/var/lib/mysql", "10.0.0.3:4444", 1, 42L, "0.1.0", now[0]));
            passes(j, sent, "preflight", "send_magic", "stream_backup", "cleanup", "report_done");
            j.transfer(sent, "send_magic", "magic", 412, now[0], now[0] + 10, true);
            j.transfer(sent, "stream_backup", "backup", 104_857_600, now[0], now[0] + 900, true);
            j.runEnded(sent, true, 0, null);
            // killed mid-stream: no end, and its process (pid 1, another start time) is gone
            String killed = "44444444-4444-4444-8444-444444444444";
            j.runStarted(new NewRun(killed, "joiner", "/var/lib/mysql", null, 1, 42L, "0.1.0", now[0]));
            j.stageStarted(killed, "receive_stream");
            j.transfer(killed, "receive_stream", "backup", 52_428_800, now[0], now[0] + 400, false);
            // this process runs one now
            ProcessHandle self = ProcessHandle.current();
            String running = "55555555-5555-4555-8555-555555555555";
            j.runStarted(new NewRun(running, "joiner", "/var/lib/mysql", null, self.pid(), OwnerLiveness.startOf(self),
                    "0.1.0", now[0]));
            passes(j, running, "preflight");
            j.stageStarted(running, "receive_stream");
            j.progress(running, "receive_stream", 31_457_280, 104_857_600L);
        }
        return history;
    }

    private static void passes(H2RunJournal j, String run, String... stages) {
        for (String s : stages) {
            j.stageStarted(run, s);
            j.stageCompleted(run, s, "ok");
        }
    }

    @Test
    void theFileSaysWhatRunsNowWhatEndedLastAndCountsEveryRunByRoleAndOutcome() throws Exception {
        Path history = history();
        Path dir = Files.createDirectories(tmp.resolve("node-exporter"));
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            NodeMetrics.write(new HistoryQueries(db), dir);
        }
        String text = Files.readString(dir.resolve(NodeMetrics.FILE));
        if (Boolean.getBoolean("regenerate.docs")) {
            Files.writeString(SAMPLE, text);
        }
        assertEquals(Files.readString(SAMPLE), text, "docs/metrics-sample.prom is stale: run this test with"
                + " -Dregenerate.docs=true");
        for (String line : List.of(
                "galera_sst_in_progress{role=\"joiner\"} 1.0",
                "galera_sst_in_progress{role=\"donor\"} 0.0",
                "galera_sst_stage_info{role=\"joiner\",stage=\"receive_stream\"} 1",
                "galera_sst_stream_bytes{role=\"joiner\"} 3.145728E7",
                "galera_sst_stream_expected_bytes{role=\"joiner\"} 1.048576E8",
                "galera_sst_runs_total{outcome=\"completed\",role=\"joiner\"} 1.0",
                "galera_sst_runs_total{outcome=\"interrupted\",role=\"joiner\"} 1.0",
                "galera_sst_runs_total{outcome=\"failed\",role=\"donor\"} 1.0",
                "galera_sst_transferred_bytes_total{role=\"joiner\"} 1.57286812E8",
                "galera_sst_last_run_info{outcome=\"interrupted\",role=\"joiner\",stage=\"receive_stream\"} 1",
                "galera_sst_last_exit_code{role=\"donor\"} 0.0",
                "galera_sst_last_stage_duration_seconds{role=\"donor\",stage=\"stream_backup\"} 0.7",
                "galera_sst_bootstrap_unsafe 1.0")) {
            assertTrue(text.lines().anyMatch(line::equals), line + " in\n" + text);
        }
        assertTrue(!text.contains("5555") && !text.contains("1111"), "no run id is a label value");
    }

    /** The counters are the history's: a new process, or a lost file, gets the same values. */
    @Test
    void theCountersSurviveARestartAndALostFile() throws Exception {
        Path history = history();
        Path dir = Files.createDirectories(tmp.resolve("node-exporter"));
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            NodeMetrics.write(new HistoryQueries(db), dir);
        }
        List<String> before = counters(dir);
        Files.delete(dir.resolve(NodeMetrics.FILE));
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            NodeMetrics.write(new HistoryQueries(db), dir);
        }
        assertEquals(before, counters(dir));
        assertEquals(8, before.size(), before.toString());
    }

    @Test
    void promtoolAcceptsTheFile() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool comes with the prometheus package (scripts/install-deps)");
        Path dir = Files.createDirectories(tmp.resolve("node-exporter"));
        try (HistoryDatabase db = HistoryDatabase.openForReading(history())) {
            NodeMetrics.write(new HistoryQueries(db), dir);
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
                .redirectInput(dir.resolve(NodeMetrics.FILE).toFile()).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), said);
        assertEquals("", said.strip(), "no lint finding");
    }

    private static List<String> counters(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve(NodeMetrics.FILE)).stream().filter(l -> l.contains("_total{")).toList();
    }
}
