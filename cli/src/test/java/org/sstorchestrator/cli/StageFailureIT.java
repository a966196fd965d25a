package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * Every failure edge of both tables, taken in a real run: a named fault point fails one stage
 * of our joiner or donor ({@code SST_FAULT=<stage>.started:fail}) while the other side runs
 * normally against a real Galera node. Whatever fails, the run is recorded failed at that
 * stage and goes through abort (P10), both processes end within their timeouts with a
 * documented code (P2), the joiner prints no position (P1), and a failure before the wipe
 * leaves the old datadir as it was (P5).
 */
class StageFailureIT {

    /**
     * Joiner stages on the usual path, in order (wipe_early is taken only when space is short:
     * DiskSpaceIT fails it); and those whose failure comes before the wipe's first delete, up to
     * wipe_datadir itself (it fails at its start): the old datadir must survive them.
     */
    private static final List<String> JOINER = SstMachines.joiner().workingStates().stream()
            .filter(s -> !s.equals("wipe_early")).toList();
    private static final List<String> BEFORE_WIPE = JOINER.subList(0, JOINER.indexOf("wipe_datadir") + 1);

    static List<String> joinerStages() {
        return JOINER;
    }

    static List<String> donorStages() {
        return SstMachines.donor().workingStates();
    }

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("faults", 5);

    private static Map<String, String> failAt(String... points) {
        return Map.of("SST_FAULT", String.join(",", List.of(points).stream().map(p -> p + ":fail").toList()));
    }

    @ParameterizedTest(name = "joiner fails at {0}")
    @org.junit.jupiter.params.provider.MethodSource("joinerStages")
    void aJoinerStageThatFailsEndsTheRunFailedThroughAbortAndPrintsNoPosition(String stage, @TempDir Path tmp)
            throws Exception {
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("old_table.ibd");
        Files.writeString(old, "a table of the old datadir");
        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, failAt(stage + ".started"));
        Optional<String> ready = DirectSst.ready(j);
        assertEquals(stage.equals("preflight") || stage.equals("listen"), ready.isEmpty(),
                "ready is printed once, and only once the joiner listens");
        DirectSst.Side d = ready.isPresent() ? DirectSst.donor(tmp, DONOR.node(), ready.get(), DirectSst.SHORT_TIMEOUTS, Map.of()) : null;

        assertEquals(1, j.exit(DirectSst.BOUND), j.err());
        assertTrue(j.lines().stream().allMatch(l -> l.startsWith("ready ")), "no position after a failure (P1): " + j.lines());
        assertFailedThroughAbort(j.history(), stage, 1);
        assertEquals(BEFORE_WIPE.contains(stage), Files.exists(old), "the old datadir survives until the wipe (P5)");
        if (d != null) {
            boolean streamComplete = BEFORE_WIPE.indexOf(stage) > BEFORE_WIPE.indexOf("receive_stream")
                    || !BEFORE_WIPE.contains(stage);
            int donorExit = d.exit(DirectSst.BOUND);
            if (streamComplete) {
                assertEquals(0, donorExit, "the donor's work was done before the joiner failed:\n" + d.err());
            } else {
                assertEquals(32, donorExit, "the donor ends when its joiner goes away (P3):\n" + d.err());
            }
        }
        TransitionLedger.record(getClass(), tmp);
    }

    @ParameterizedTest(name = "donor fails at {0}")
    @org.junit.jupiter.params.provider.MethodSource("donorStages")
    void aDonorStageThatFailsEndsTheRunFailedThroughAbortAndTheJoinerEndsToo(String stage, @TempDir Path tmp)
            throws Exception {
        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, Map.of());
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.Side d = DirectSst.donor(tmp, DONOR.node(), address, DirectSst.SHORT_TIMEOUTS, failAt(stage + ".started"));

        assertEquals(1, d.exit(DirectSst.BOUND), d.err());
        assertTrue(d.lines().stream().noneMatch(l -> l.startsWith("done")), "no done after a failure: " + d.lines());
        assertFailedThroughAbort(d.history(), stage, 1);
        int joinerExit = j.exit(DirectSst.BOUND);
        List<String> out = j.lines();
        if (stage.equals("cleanup") || stage.equals("report_done")) {
            // both transfers were complete: the joiner has a whole, prepared copy and reports it
            assertEquals(0, joinerExit, j.err());
            assertTrue(out.get(out.size() - 1).matches("[0-9a-f-]{36}:\\d+ 0"), out.toString());
        } else {
            assertEquals(32, joinerExit, "the joiner gives up on a silent donor within its timeout:\n" + j.err());
            assertTrue(out.stream().allMatch(l -> l.startsWith("ready ")), "no position (P1): " + out);
        }
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void aFailingAbortStillEndsTheRunFailedWithTheFirstFailuresCode(@TempDir Path tmp) throws Exception {
        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, failAt("listen.started", "abort.started"));
        assertEquals(1, j.exit(DirectSst.BOUND), j.err());
        List<String> events = events(j.history());
        assertEquals(List.of("listen:failed", "abort:started", "abort:failed"), events.subList(events.size() - 3, events.size()));

        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DirectSst.Side d = DirectSst.donor(tmp, DONOR.node(), "127.0.0.1:" + port + "/xtrabackup_sst//1", DirectSst.SHORT_TIMEOUTS,
                failAt("send_magic.started", "abort.started"));
        assertEquals(1, d.exit(DirectSst.BOUND), d.err());
        events = events(d.history());
        assertEquals(List.of("send_magic:failed", "abort:started", "abort:failed"),
                events.subList(events.size() - 3, events.size()));
        TransitionLedger.record(getClass(), tmp);
    }

    /** A stand-in on PATH for mariadb-backup: the real one, except that the given step fails as a broken one would. */
    private static Map<String, String> backupFailingAt(Path tmp, String step) throws java.io.IOException {
        Path bin = Files.createDirectories(tmp.resolve("stand-in"));
        Path fake = bin.resolve("mariadb-backup");
        // as a real failure reads (issue 19): the cause first, then noise, then a last line that explains nothing
        String cause = step.equals("--prepare") ? "[ERROR] InnoDB: simulated: Encryption key is not found for ./test/t4.ibd"
                : "[ERROR] simulated: --move-back failed: InnoDB: Operating system error number 5";
        Files.writeString(fake, "#!/bin/sh\n"
                + "for a in \"$@\"; do\n"
                + "  if [ \"$a\" = \"" + step + "\" ]; then\n"
                + "    echo \"2026-01-01 10:00:01 0 " + cause + "\" >&2\n"
                + "    echo '2026-01-01 10:00:01 0 [Note] InnoDB: noise' >&2\n"
                + "    echo \"Error in my_thread_global_end(): 1 threads didn't exit\" >&2\n"
                + "    exit 1\n"
                + "  fi\n"
                + "done\n"
                + "exec /usr/bin/mariadb-backup \"$@\"\n");
        fake.toFile().setExecutable(true);
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    @ParameterizedTest(name = "mariadb-backup {0} fails")
    @ValueSource(strings = {"--prepare", "--move-back"})
    void aMariadbBackupStepThatReallyFailsIsExit22NamingItsLogItsCauseAndItsLastLine(String step, @TempDir Path tmp)
            throws Exception {
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("old_table.ibd");
        Files.writeString(old, "a table of the old datadir");
        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, backupFailingAt(tmp, step));
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.Side d = DirectSst.donor(tmp, DONOR.node(), address, DirectSst.SHORT_TIMEOUTS, Map.of());
        assertEquals(0, d.exit(DirectSst.BOUND), d.err());
        assertEquals(22, j.exit(DirectSst.BOUND), j.err());

        String stage = step.equals("--prepare") ? "prepare" : "move_back";
        String log = step.equals("--prepare") ? "mariabackup.prepare.log" : "mariabackup.move.log";
        String error = j.err().lines().filter(l -> l.startsWith("WSREP_SST: [ERROR]") && l.contains("(exit 22)"))
                .findFirst().orElse("");
        String cause = step.equals("--prepare") ? "Encryption key is not found for ./test/t4.ibd"
                : "--move-back failed: InnoDB: Operating system error number 5";
        String lastLine = "Error in my_thread_global_end(): 1 threads didn't exit";
        assertTrue(error.contains(log) && error.contains(cause) && error.indexOf(cause) < error.indexOf(lastLine),
                "one ERROR line names the log, its cause, then its last line: " + error);
        assertEquals(step.equals("--prepare"), error.contains("remedy: this joiner cannot read the donor's encrypted"
                + " tablespaces") && error.contains("file_key_management_filename"), "the key file's setting: " + error);
        assertTrue(j.lines().stream().allMatch(l -> l.startsWith("ready ")), "no position (P1): " + j.lines());
        assertFailedThroughAbort(j.history(), stage, 22);
        assertTrue(Files.isDirectory(tmp.resolve("data/.sst")), "the received backup is kept for diagnosis");
        assertEquals(stage.equals("prepare"), Files.exists(old), "a failed prepare leaves the old datadir whole (P5)");

        StringWriter out = new StringWriter();
        new SstAdmin(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .execute("inspect", "last", "--history-dir", j.history().toString());
        for (String s : List.of("ERROR in " + stage + ": exit 22 (EINVAL)", "remedy:", "LOG TAIL", cause, lastLine)) {
            assertTrue(out.toString().contains(s), s + " in:\n" + out);
        }
        assertEquals(step.equals("--prepare"), out.toString().contains("remedy:  this joiner cannot read the donor's"
                + " encrypted tablespaces"), "inspect's remedy is the cause's: " + out);
        TransitionLedger.record(getClass(), tmp);
    }

    private static void assertFailedThroughAbort(Path history, String stage, int code) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            HistoryQueries q = new HistoryQueries(db);
            RunSummary r = q.history(null, 10).get(0);
            assertEquals("failed", r.outcome());
            assertEquals(stage, r.lastStage());
            assertEquals(code, r.exitCode());
            List<String> events = q.stageEvents(r.id());
            assertEquals(List.of(stage + ":started", stage + ":failed", "abort:started", "abort:completed"),
                    events.subList(events.size() - 4, events.size()));
        }
    }

    private static List<String> events(Path history) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            HistoryQueries q = new HistoryQueries(db);
            return q.stageEvents(q.history(null, 10).get(0).id());
        }
    }
}
