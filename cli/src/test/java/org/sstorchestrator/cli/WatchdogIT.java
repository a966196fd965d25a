package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.cli.live.LiveStatus;
import org.sstorchestrator.cli.live.NodeMetrics;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * What watchdogs and Prometheus see of real SSTs (issue 22): our joiner and donor run as mysqld
 * runs them against one real node ({@link DirectSst}), with [sst] metrics-dir. The metrics file
 * parses with promtool at every stage of both roles and after; sst-admin status --probe answers
 * 0 while they run, 1 when none does, 2 when a stand-in backup hangs and when the owner is
 * killed; a run killed outright is corrected by cleanup and by the next run; and the bootstrap
 * check fails after a joiner that failed past the wipe and passes after a good one.
 */
class WatchdogIT {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Pattern STAGE = Pattern.compile("galera_sst_stage_info\\{role=\"(\\w+)\",stage=\"(\\w+)\"} 1");

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("watchdog", 5);

    private static String[] admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** status --probe on a datadir; the history is named so that a root test never hands over. */
    private static String[] probe(Path datadir, Path history, String... more) {
        List<String> args = new ArrayList<>(List.of("status", "--probe", "--datadir", datadir.toString(), "--history-dir",
                history.toString()));
        args.addAll(List.of(more));
        return admin(args.toArray(String[]::new));
    }

    /** promtool check metrics on this text: it must pass with no lint finding. */
    private static void promtoolAccepts(String text, String when) throws Exception {
        assertTrue(Files.isExecutable(PROMTOOL), "promtool is not installed: scripts/install-deps installs prometheus");
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool hung");
        assertEquals(0, p.exitValue(), when + ": promtool check metrics said:\n" + said + "\non:\n" + text);
        assertEquals("", said.strip(), when + ": " + said);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return ""; // renamed over while being read: the next look sees the new one
        }
    }

    /** Waits for a real condition of a running SST, bounded. */
    private static <T> T await(String what, Duration bound, Supplier<Optional<T>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Optional<T> v = condition.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    /** One role's side of the every-stage run: where its metrics go, and the stages it has been let through. */
    private record Paused(String role, Path metrics, List<String> stages, Path gate, Set<String> released) {

        String faults() {
            return String.join(",", stages.stream().map(s -> s + ".started:wait=" + gate.resolve(s)).toList());
        }
    }

    @Test
    void promtoolAcceptsTheMetricsAtEveryStageOfBothRolesAndAfterAndTheProbeSaysAliveThenNone(@TempDir Path tmp)
            throws Exception {
        Paused joiner = new Paused("joiner", Files.createDirectories(tmp.resolve("metrics-joiner")),
                SstMachines.joiner().workingStates().stream().filter(s -> !s.equals("wipe_early")).toList(),
                Files.createDirectories(tmp.resolve("gate-joiner")), new LinkedHashSet<>());
        Paused donor = new Paused("donor", Files.createDirectories(tmp.resolve("metrics-donor")),
                SstMachines.donor().workingStates(), Files.createDirectories(tmp.resolve("gate-donor")), new LinkedHashSet<>());
        DirectSst.Side j = DirectSst.joiner(tmp, List.of("metrics-dir=" + joiner.metrics()),
                Map.of("SST_FAULT", joiner.faults()));
        DirectSst.Side d = null;
        Path joinerData = tmp.resolve("data");
        boolean probed = false;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (j.process().isAlive() || d == null || d.process().isAlive()) {
            assertTrue(System.nanoTime() < deadline, "the SST did not end within 3 minutes:\n" + j.err()
                    + (d == null ? "" : d.err()));
            if (d == null && Files.readString(j.stdout()).contains("\n")) { // the joiner is through preflight and listen
                String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
                d = DirectSst.donor(tmp, DONOR.node(), address, List.of("metrics-dir=" + donor.metrics()),
                        Map.of("SST_FAULT", donor.faults()));
            }
            for (Paused side : d == null ? List.of(joiner) : List.of(joiner, donor)) {
                String text = read(side.metrics().resolve(NodeMetrics.FILE));
                Matcher m = STAGE.matcher(text);
                if (!m.find() || side.released().contains(m.group(2))) {
                    continue;
                }
                assertEquals(side.role(), m.group(1), text);
                promtoolAccepts(text, side.role() + " at " + m.group(2));
                if (side == joiner && m.group(2).equals("prepare")) {
                    // paused in a stage without a stream: alive by its heartbeat, whatever --stuck-after says
                    String[] p = probe(joinerData, tmp.resolve("joiner-history"), "--stuck-after", "1");
                    assertEquals("0", p[0], p[1] + p[2]);
                    assertTrue(p[1].startsWith("alive: run ") && p[1].contains("(joiner, at prepare)"), p[1]);
                    probed = true;
                }
                side.released().add(m.group(2));
                Files.createFile(side.gate().resolve(m.group(2)));
            }
            Thread.sleep(50);
        }
        assertEquals(0, d.exit(DirectSst.BOUND), d.err());
        assertEquals(0, j.exit(DirectSst.BOUND), j.err());
        assertTrue(probed, "the probe ran while the joiner prepared");
        assertEquals(joiner.stages(), List.copyOf(joiner.released()), "the joiner's file named each stage in turn");
        assertEquals(donor.stages(), List.copyOf(donor.released()), "the donor's file named each stage in turn");
        for (Paused side : List.of(joiner, donor)) {
            String after = read(side.metrics().resolve(NodeMetrics.FILE));
            promtoolAccepts(after, side.role() + " after the SST");
            assertTrue(after.contains("galera_sst_in_progress{role=\"" + side.role() + "\"} 0.0"), after);
            assertTrue(after.contains("galera_sst_runs_total{outcome=\"completed\",role=\"" + side.role() + "\"} 1.0"), after);
            assertTrue(after.contains("galera_sst_last_exit_code{role=\"" + side.role() + "\"} 0.0"), after);
        }
        String[] none = probe(joinerData, tmp.resolve("joiner-history"));
        assertEquals("1", none[0], none[1] + none[2]);
        assertFalse(Files.exists(joinerData.resolve(SstFiles.STATUS)) || Files.exists(joinerData.resolve(SstFiles.IN_PROGRESS)));
        String[] boot = admin("doctor", "--bootstrap-check", "--history-dir", tmp.resolve("joiner-history").toString(),
                "--datadir", joinerData.toString());
        assertEquals("0", boot[0], boot[1]);
        // the version guard's record: our donor announced both versions in transfer 1, the server's asked of it
        String inspect = admin("inspect", "last", "--history-dir", tmp.resolve("joiner-history").toString())[1];
        assertTrue(Pattern.compile("Versions donor: server 10\\.11\\.\\S+, mariadb-backup 10\\.11\\.\\S+ \\(from transfer"
                + " 1\\); this node: mariadb-backup 10\\.11\\.").matcher(inspect).find(), inspect);
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * A stand-in mariadb-backup that hangs in --backup, saying nothing (a wedged donor): the real
     * one for everything else (--version).
     */
    private static Path hangingBackup(Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("stand-in"));
        Path script = bin.resolve("mariadb-backup");
        // the shell stays (not exec): cleanup knows the recorded child by its program, this script
        Files.writeString(script, "#!/bin/sh\n"
                + "for a in \"$@\"; do if [ \"$a\" = --backup ]; then sleep 600; exit 1; fi; done\n"
                + "exec /usr/bin/mariadb-backup \"$@\"\n");
        script.toFile().setExecutable(true);
        return bin;
    }

    private static Optional<LiveStatus> status(Path datadir) {
        try {
            return LiveStatus.read(datadir);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Test
    void aHangingBackupIsStuckToTheProbeAKilledDonorIsStaleAndCleanupCorrectsItsMetricsAndStatus(@TempDir Path tmp)
            throws Exception {
        try {
            hangAndKill(tmp);
        } finally { // a stand-in left by a failed assertion must not outlive the test
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(tmp.toString()))
                    .forEach(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    });
        }
    }

    private static void hangAndKill(Path tmp) throws Exception {
        Path donorMetrics = Files.createDirectories(tmp.resolve("metrics-donor"));
        List<String> patient = List.of("sst-idle-timeout=120", "sst-min-rate=0");
        DirectSst.Side j = DirectSst.joiner(tmp, patient, Map.of());
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", hangingBackup(tmp) + ":" + System.getenv("PATH"));
        List<String> donorLines = new ArrayList<>(patient);
        donorLines.add("metrics-dir=" + donorMetrics);
        DirectSst.Side d = DirectSst.donor(tmp, DONOR.node(), address, donorLines, env);
        Path donorData = DONOR.node().datadir();
        Path joinerData = tmp.resolve("data");

        LiveStatus s = await("the donor's stream in its status", Duration.ofSeconds(60),
                () -> status(donorData).filter(LiveStatus::stream));
        assertEquals("stream_backup", s.stage());
        assertEquals(d.process().pid(), s.pid(), "the status names the SST process");
        String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(s.pid()), "cmdline")),
                StandardCharsets.UTF_8);
        assertTrue(cmdline.contains("wsrep_sst_"), "watchdogs look for wsrep_sst_ in the command line: " + cmdline);
        assertEquals("0", probe(donorData, tmp.resolve("donor-history"), "--stuck-after", "60")[0]);
        for (Path data : List.of(donorData, joinerData)) {
            String[] stuck = await("the probe calling " + data + " stuck", Duration.ofSeconds(30), () -> {
                String[] p = probe(data, tmp.resolve(data.equals(donorData) ? "donor-history" : "joiner-history"),
                        "--stuck-after", "3");
                return p[0].equals("2") ? Optional.of(p) : Optional.empty();
            });
            assertTrue(stuck[1].startsWith("stuck: run ") && stuck[1].contains("has moved no byte of its stream"), stuck[1]);
        }

        d.process().destroyForcibly(); // kill -9 of the SST process; its stand-in child lingers
        assertTrue(d.process().waitFor(30, TimeUnit.SECONDS));
        String[] stale = probe(donorData, tmp.resolve("donor-history"));
        assertEquals("2", stale[0], stale[1]);
        assertTrue(stale[1].startsWith("stale: run ") && stale[1].contains("is not running any more"), stale[1]);
        String killed = read(donorMetrics.resolve(NodeMetrics.FILE));
        assertTrue(killed.contains("galera_sst_in_progress{role=\"donor\"} 1.0"), "the file of a killed run says so:\n"
                + killed);
        String[] doctor = admin("doctor", "--defaults-file", tmp.resolve("donor.cnf").toString(), "--history-dir",
                tmp.resolve("donor-history").toString());
        assertTrue(doctor[1].contains("FAIL  no stale SST marker") && doctor[1].contains("stale: run "
                + s.run().substring(0, 8)), "doctor names the dead run's status:\n" + doctor[1]);

        assertTrue(j.exit(Duration.ofSeconds(150)) != 0, "the joiner's donor died:\n" + j.err());
        assertEquals("1", probe(joinerData, tmp.resolve("joiner-history"))[0], "its run ended and took its status along");

        String[] clean = admin("cleanup", "last", "--history-dir", tmp.resolve("donor-history").toString());
        assertEquals("0", clean[0], clean[1] + clean[2]);
        assertTrue(clean[1].contains("removed file      " + donorData.resolve(SstFiles.STATUS)), clean[1]);
        assertTrue(clean[1].contains("removed process"), "the hanging stand-in, recorded as the run's child:\n" + clean[1]);
        String corrected = read(donorMetrics.resolve(NodeMetrics.FILE));
        promtoolAccepts(corrected, "after cleanup");
        assertTrue(corrected.contains("galera_sst_in_progress{role=\"donor\"} 0.0"), corrected);
        assertTrue(corrected.contains("galera_sst_runs_total{outcome=\"interrupted\",role=\"donor\"} 1.0"), corrected);
        assertEquals("1", probe(donorData, tmp.resolve("donor-history"))[0]);
        TransitionLedger.record(WatchdogIT.class, tmp);
    }

    @Test
    void theBootstrapCheckFailsAfterAJoinerThatFailedPastTheWipeAndTheNextRunsCorrectTheMetrics(@TempDir Path tmp)
            throws Exception {
        Path metrics = Files.createDirectories(tmp.resolve("metrics"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("grastate.dat"), "# GALERA saved state\nversion: 2.1\n"
                + "uuid:    6aa82394-e53e-11f1-9d1a-a25450683f20\nseqno:   1234\nsafe_to_bootstrap: 1\n");
        List<String> lines = List.of("metrics-dir=" + metrics);
        Path history = tmp.resolve("joiner-history");

        assertEquals(1, sst(tmp, lines, "move_back.started:fail"), "an injected failure past the wipe");
        String grastate = Files.readString(data.resolve("grastate.dat"));
        assertTrue(grastate.contains("seqno:   -1\nsafe_to_bootstrap: 0\n"), grastate);
        String[] bad = admin("doctor", "--bootstrap-check", "--history-dir", history.toString(), "--datadir", data.toString());
        assertEquals("1", bad[0], bad[1]);
        assertTrue(bad[1].contains("is failed at move_back (exit 1), the wipe had begun"), bad[1]);
        String afterFailure = read(metrics.resolve(NodeMetrics.FILE));
        assertTrue(afterFailure.contains("galera_sst_bootstrap_unsafe 1.0"), afterFailure);

        assertEquals(137, sst(tmp, lines, "receive_stream.midstream:halt"), "halted like kill -9 mid-stream");
        String halted = read(metrics.resolve(NodeMetrics.FILE));
        assertTrue(halted.contains("galera_sst_in_progress{role=\"joiner\"} 1.0")
                && halted.contains("stage=\"receive_stream\""), "a killed run's file says it is in progress:\n" + halted);

        assertEquals(0, sst(tmp, lines, null), "the next run succeeds");
        String good = read(metrics.resolve(NodeMetrics.FILE));
        promtoolAccepts(good, "after three runs");
        for (String line : List.of("galera_sst_in_progress{role=\"joiner\"} 0.0", "galera_sst_bootstrap_unsafe 0.0",
                "galera_sst_runs_total{outcome=\"failed\",role=\"joiner\"} 1.0",
                "galera_sst_runs_total{outcome=\"interrupted\",role=\"joiner\"} 1.0",
                "galera_sst_runs_total{outcome=\"completed\",role=\"joiner\"} 1.0")) {
            assertTrue(good.lines().anyMatch(line::equals), "counters of three processes, rebuilt by the last: " + line
                    + " in\n" + good);
        }
        String[] ok = admin("doctor", "--bootstrap-check", "--history-dir", history.toString(), "--datadir", data.toString());
        assertEquals("0", ok[0], ok[1]);
        TransitionLedger.record(getClass(), tmp);
    }

    /** One direct SST into {@code tmp/data} with a fault (or none); the joiner's exit code once both ended. */
    private static int sst(Path tmp, List<String> lines, String fault) throws Exception {
        DirectSst.Side j = DirectSst.joiner(tmp, lines, fault == null ? Map.of() : Map.of("SST_FAULT", fault));
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.Side d = DirectSst.donor(tmp, DONOR.node(), address, DirectSst.SHORT_TIMEOUTS, Map.of());
        int code = j.exit(DirectSst.BOUND);
        d.exit(DirectSst.BOUND);
        return code;
    }
}
