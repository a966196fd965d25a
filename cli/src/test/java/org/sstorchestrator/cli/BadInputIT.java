package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;

/**
 * Bad input and faults at the process boundary, through the real launcher: each ends in the
 * documented exit code, one message naming the setting and the value, a failed run recorded
 * at its stage, and nothing on stdout that mysqld could take for a position or "done".
 */
class BadInputIT {

    private static final String GTID = "6aa82394-e53e-11f1-9d1a-a25450683f20:7";

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.AfterEach
    void ledger() {
        TransitionLedger.record(getClass(), tmp);
    }
    private Path datadir;
    private Path cnf;
    private Path history;
    private final Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH")));

    @BeforeEach
    void node() throws Exception {
        datadir = Files.createDirectories(tmp.resolve("data"));
        history = tmp.resolve("history");
        cnf = tmp.resolve("my.cnf");
        cnf(List.of());
    }

    private void cnf(List<String> sstLines) throws Exception {
        List<String> lines = new java.util.ArrayList<>(List.of("[mysqld]", "datadir=" + datadir, "[sst]",
                "history-dir=" + history));
        lines.addAll(sstLines);
        Files.write(cnf, lines);
    }

    private SstLauncher.Result joiner(String address, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--role", "joiner", "--address", address, "--datadir",
                datadir.toString(), "--defaults-file", cnf.toString(), "--parent",
                Long.toString(ProcessHandle.current().pid())));
        args.addAll(List.of(more));
        return SstLauncher.run(tmp, env, args.toArray(String[]::new));
    }

    private SstLauncher.Result donor(String address, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--role", "donor", "--address", address, "--datadir",
                datadir.toString(), "--defaults-file", cnf.toString(), "--gtid", GTID, "--gtid-domain-id", "0"));
        args.addAll(List.of(more));
        return SstLauncher.run(tmp, env, args.toArray(String[]::new));
    }

    private RunSummary lastRun() {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            return new HistoryQueries(db).history(null, 1).get(0);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void assertOneErrorNaming(SstLauncher.Result r, String... parts) {
        // the run's one ERROR line; then the stock script's closing words of a failed run, "Cleanup after exit ..."
        List<String> errors = r.stderr().lines().filter(l -> l.startsWith("WSREP_SST: [ERROR]")
                && !l.startsWith("WSREP_SST: [ERROR] Cleanup after exit with status: ")).toList();
        assertEquals(1, errors.size(), r.stderr());
        for (String p : parts) {
            assertTrue(errors.get(0).contains(p), "'" + p + "' not in: " + errors.get(0));
        }
    }

    @Test
    void anUnknownRoleIsExit22NamingTheValue() throws Exception {
        SstLauncher.Result r = SstLauncher.run(tmp, env, "--role", "observer", "--datadir", datadir.toString());
        assertEquals(22, r.exitCode());
        assertEquals("", r.stdout());
        assertOneErrorNaming(r, "--role", "'observer'");
    }

    @Test
    void aMissingDatadirIsExit2RecordedAtPreflight() throws Exception {
        SstLauncher.Result r = SstLauncher.run(tmp, env, "--role", "joiner", "--address", "127.0.0.1:" + freePort(),
                "--datadir", tmp.resolve("nope").toString(), "--defaults-file", cnf.toString());
        assertEquals(2, r.exitCode(), r.stderr());
        assertEquals("", r.stdout());
        assertOneErrorNaming(r, "--datadir", "nope");
        RunSummary run = lastRun();
        assertEquals("failed", run.outcome());
        assertEquals("preflight", run.lastStage());
        assertEquals(2, run.exitCode());
    }

    @Test
    void aHostileAddressIsExit22AndNothingListens() throws Exception {
        SstLauncher.Result r = joiner("127.0.0.1:4444/x;reboot");
        assertEquals(22, r.exitCode());
        assertEquals("", r.stdout(), "no ready line");
        assertOneErrorNaming(r, "--address", "x;reboot");
        assertEquals("preflight", lastRun().lastStage());
    }

    @Test
    void aMissingMariadbBackupIsExit42() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("my_print_defaults"), Path.of("/usr/bin/my_print_defaults"));
        env.put("PATH", bin.toString());
        SstLauncher.Result r = joiner("127.0.0.1:" + freePort());
        assertEquals(42, r.exitCode(), r.stderr());
        assertOneErrorNaming(r, "WSREP_SST: [ERROR] mariadb-backup binary not found in path (PATH: ");
        assertEquals(42, lastRun().exitCode());
    }

    @Test
    void anOptionOfTheWrongTypeIsExit22NamingItAndItsValue() throws Exception {
        cnf(List.of("sst-initial-timeout=soon"));
        SstLauncher.Result r = joiner("127.0.0.1:" + freePort());
        assertEquals(22, r.exitCode());
        assertOneErrorNaming(r, "[sst] sst-initial-timeout", "'soon'");
        assertEquals("preflight", lastRun().lastStage());
    }

    @Test
    void aSetButUnimplementedOptionIsRefusedNotIgnored() throws Exception {
        cnf(List.of("streamfmt=tar")); // mariadb-backup cannot stream tar: refused at once, as the issue keeps it
        SstLauncher.Result r = joiner("127.0.0.1:" + freePort());
        assertEquals(22, r.exitCode());
        assertOneErrorNaming(r, "[sst] streamfmt", "'tar'", "mariadb-backup streams only mbstream");
    }

    /** Issue 10: sockopt is read in socat's syntax; an option socat would not take is named with its value. */
    @Test
    void aSocketOptionWeDoNotKnowIsRefusedNamingItAndItsValueNotIgnored() throws Exception {
        cnf(List.of("sockopt=keepalive,frobnicate=3"));
        SstLauncher.Result r = joiner("127.0.0.1:" + freePort());
        assertEquals(22, r.exitCode());
        assertOneErrorNaming(r, "[sst] sockopt", "'frobnicate'", "'3'");
        assertEquals("preflight", lastRun().lastStage());
    }

    @Test
    void noDonorWithinTheInitialTimeoutIsExit32WithoutAPosition() throws Exception {
        cnf(List.of("sst-initial-timeout=2"));
        int port = freePort();
        SstLauncher.Result r = joiner("127.0.0.1:" + port);
        assertEquals(32, r.exitCode(), r.stderr());
        assertEquals("ready 127.0.0.1:" + port + "/xtrabackup_sst//1\n", r.stdout(), "the only line is ready");
        assertOneErrorNaming(r, "sst-initial-timeout");
        RunSummary run = lastRun();
        assertEquals("receive_magic", run.lastStage());
        assertTrue(!Files.exists(datadir.resolve("sst_in_progress")), "the marker is removed on failure");
        assertTrue(!Files.exists(datadir.resolve("wsrep_sst.pid")), "the lock is released on failure");
    }

    @Test
    void anUnreachableJoinerEndsTheDonorWithExit32AndNoDone() throws Exception {
        cnf(List.of("sst-connect-timeout=1"));
        SstLauncher.Result r = donor("127.0.0.1:" + freePort() + "/xtrabackup_sst//1");
        assertEquals(32, r.exitCode(), r.stderr());
        assertEquals("", r.stdout());
        assertOneErrorNaming(r, "sst-connect-timeout");
        assertEquals("send_magic", lastRun().lastStage());
    }

    @Test
    void aJoinerWithoutSstVersionIsExit93() throws Exception {
        SstLauncher.Result r = donor("127.0.0.1:4444/xtrabackup_sst//");
        assertEquals(93, r.exitCode(), r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void theJoinerEndsWithExit32WhenItsParentMysqldDies() throws Exception {
        Process parent = new ProcessBuilder("sleep", "600").start();
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process sst = SstLauncher.start(env, out, err, "--role", "joiner", "--address", "127.0.0.1:" + freePort(),
                "--datadir", datadir.toString(), "--defaults-file", cnf.toString(), "--parent",
                Long.toString(parent.pid()));
        waitFor(() -> Files.readString(out).startsWith("ready "));
        parent.destroyForcibly();
        assertTrue(sst.waitFor(20, TimeUnit.SECONDS), "the joiner outlived its parent");
        assertEquals(32, sst.exitValue(), Files.readString(err));
        assertTrue(Files.readString(err).contains("WSREP_SST: [ERROR] Parent mysqld process (PID: " + parent.pid()
                + ") terminated unexpectedly."), Files.readString(err));
        assertEquals("receive_magic", lastRun().lastStage());
    }

    @Test
    void sigtermWhileWaitingEndsWithExit3RecordedAsFailed() throws Exception {
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process sst = SstLauncher.start(env, out, err, "--role", "joiner", "--address", "127.0.0.1:" + freePort(),
                "--datadir", datadir.toString(), "--defaults-file", cnf.toString());
        waitFor(() -> Files.readString(out).startsWith("ready "));
        sst.destroy(); // SIGTERM
        assertTrue(sst.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, sst.exitValue(), Files.readString(err));
        // the abort runs in a shutdown hook: its lines still reach mysqld's error log
        assertTrue(Files.readString(err).contains("interrupted by a signal (exit 3)"), Files.readString(err));
        RunSummary run = lastRun();
        assertEquals("failed", run.outcome());
        assertEquals(3, run.exitCode());
        assertTrue(!Files.exists(datadir.resolve("sst_in_progress")));
    }

    /**
     * The launcher sees encrypt=1 in my.cnf and starts the JVM with C2 (kept to the crypto by
     * the shipped directives) at once: no second JVM, and a SIGTERM ends the run with 3.
     */
    @Test
    void aRunWhoseMyCnfAsksForEncryptionStartsWithC2AtOnceAndNoSecondJvm() throws Exception {
        cnf(List.of("encrypt=1", "encrypt-algo=aes-256-cbc", "encrypt-key=00112233445566778899aabbccddeeff"));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        // as mysqld passes them: its own --defaults-file again after --mysqld-args
        Process sst = SstLauncher.start(env, out, err, "--role", "joiner", "--address", "127.0.0.1:" + freePort(),
                "--datadir", datadir.toString(), "--defaults-file", cnf.toString(), "--mysqld-args",
                "--defaults-file=" + cnf);
        waitFor(() -> Files.readString(out).startsWith("ready "));
        String command = String.join(" ", sst.info().arguments().map(List::of).orElse(List.of()));
        assertTrue(command.contains("-XX:CompilerDirectivesFile=") && !command.contains("-XX:TieredStopAtLevel=1"), command);
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                .contains("sst.relaunched.from=" + sst.pid())), "no second JVM");
        sst.destroy();
        assertTrue(sst.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, sst.exitValue(), Files.readString(err));
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            assertFalse(new HistoryQueries(db).detail(lastRun().id()).attributes().containsKey("relaunched_from"));
        }
    }

    /**
     * Started with C1 (SST_LAUNCH_C1=1, as when the launcher's guess misses), a run with
     * encrypt=1 goes on in a second JVM with C2 (Relaunch): a SIGTERM to the first still ends it so.
     */
    @Test
    void sigtermToARunThatRelaunchedForEncryptionEndsTheSecondJvmWithExit3Too() throws Exception {
        cnf(List.of("encrypt=1", "encrypt-algo=aes-256-cbc", "encrypt-key=00112233445566778899aabbccddeeff"));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Map<String, String> c1First = new HashMap<>(env);
        c1First.put("SST_LAUNCH_C1", "1");
        Process sst = SstLauncher.start(c1First, out, err, "--role", "joiner", "--address", "127.0.0.1:" + freePort(),
                "--datadir", datadir.toString(), "--defaults-file", cnf.toString());
        waitFor(() -> Files.readString(out).startsWith("ready "));
        sst.destroy(); // SIGTERM, to the pid mysqld would know
        assertTrue(sst.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, sst.exitValue(), Files.readString(err));
        assertTrue(Files.readString(err).contains("interrupted by a signal (exit 3)"), Files.readString(err));
        RunSummary run = lastRun();
        assertEquals("failed", run.outcome());
        assertEquals(3, run.exitCode());
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            assertTrue(new HistoryQueries(db).detail(run.id()).attributes().containsKey("relaunched_from"),
                    "the run was the second JVM's");
        }
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                .contains("sst.relaunched.from=" + sst.pid())), "no second JVM outlives the first");
    }

    /** Issue 6: transfer 1 must arrive whole within sst-initial-timeout, not merely a byte per read timeout. */
    @Test
    void aDonorThatTricklesThePositionIsCutOffAtTheInitialTimeoutNotHeldForEver() throws Exception {
        cnf(List.of("sst-initial-timeout=2"));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process sst = SstLauncher.start(env, out, err, "--role", "joiner", "--address", "127.0.0.1:" + freePort(),
                "--datadir", datadir.toString(), "--defaults-file", cnf.toString(), "--parent",
                Long.toString(ProcessHandle.current().pid()));
        waitFor(() -> Files.readString(out).startsWith("ready "));
        String address = Files.readString(out).lines().findFirst().orElseThrow().substring("ready ".length());
        long t0 = System.nanoTime();
        Thread trickle = new Thread(() -> {
            try (java.net.Socket s = HostileDonor.connect(address)) {
                java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
                new org.sstorchestrator.states.wire.MbstreamWriter(info).file("xtrabackup_galera_info",
                        (GTID + " 0\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (byte b : info.toByteArray()) { // one byte a second: each read is well within 2 s
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                    Thread.sleep(1000);
                }
            } catch (Exception cutOff) {
                // the joiner closed the connection: what this test wants
            }
        });
        trickle.setDaemon(true);
        trickle.start();
        assertTrue(sst.waitFor(20, TimeUnit.SECONDS), "the joiner is held by a trickling peer: " + Files.readString(err));
        assertEquals(32, sst.exitValue(), Files.readString(err));
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "ended near the 2 s limit");
        assertOneErrorNaming(new SstLauncher.Result(sst.exitValue(), Files.readString(out), Files.readString(err)),
                "no complete position within 2 s", "sst-initial-timeout");
        assertEquals("receive_magic", lastRun().lastStage());
    }

    /** Issue 6: sst-initial-timeout=0 is documented as "for ever"; it was a 1 ms read timeout. */
    @Test
    void anInitialTimeoutOfZeroWaitsForADonorThatIsSlowToSendThePosition() throws Exception {
        cnf(List.of("sst-initial-timeout=0"));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process sst = SstLauncher.start(env, out, err, "--role", "joiner", "--address", "127.0.0.1:" + freePort(),
                "--datadir", datadir.toString(), "--defaults-file", cnf.toString(), "--parent",
                Long.toString(ProcessHandle.current().pid()));
        waitFor(() -> Files.readString(out).startsWith("ready "));
        String address = Files.readString(out).lines().findFirst().orElseThrow().substring("ready ".length());
        try (java.net.Socket s = HostileDonor.connect(address)) {
            Thread.sleep(1500); // connected, and silent for a while before the position comes
            org.sstorchestrator.states.wire.MbstreamWriter w = new org.sstorchestrator.states.wire.MbstreamWriter(
                    s.getOutputStream());
            w.file("xtrabackup_galera_info", (GTID + " 0\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            w.file("xtrabackup_ist", "1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            w.flush();
        }
        assertTrue(sst.waitFor(30, TimeUnit.SECONDS), Files.readString(err));
        assertEquals(0, sst.exitValue(), Files.readString(err));
        assertTrue(Files.readString(out).endsWith(GTID + " 0\n"), "the position, after IST: " + Files.readString(out));
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check c) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(50);
        }
    }
}
