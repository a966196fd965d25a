package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;

/**
 * Issue 18, tried as the mysql user would against root: the real {@code bin/sst-admin}, run as
 * root (CI runs as root), on a history that an unprivileged user ({@code nobody}) owns and has
 * planted three ways: a trigger H2 compiles and runs at open, a forged run whose recorded
 * {@code PATH} names that user's programs, and a fake SST on the history's socket that names a
 * tree outside as its copy. By their effects: nothing ran as root and nothing of root's was
 * deleted. And on a clean history owned by that user, every command gives, run as root, the
 * very answer it gives that user.
 */
class RootAdminIT {

    private static final String USER = "nobody";
    private static final String COMPLETED = "aaaaaaaa-0000-4000-8000-000000000001";
    private static final String FAILED = "aaaaaaaa-0000-4000-8000-000000000002";
    private static final String FORGED = "aaaaaaaa-0000-4000-8000-000000000003";

    @TempDir
    Path tmp;
    private Path lib;
    private Path admin;
    private Path history;
    private Path datadir;
    private Path cnf;

    /** Its histories are forged by the test, not written by SSTs: they take no transition of the machines. */
    @org.junit.jupiter.api.AfterAll
    static void noTransitionsTaken() {
        TransitionLedger.noneTaken(RootAdminIT.class);
    }

    @BeforeEach
    void asRootWithACopyOfTheBuildTheUserCanRead() throws Exception {
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/self/status")).lines()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0")), "needs root (CI runs as root)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        // the checkout may sit where nobody cannot read: the launcher's own override points at a copy
        Path home = Path.of(System.getProperty("app.home", ".."));
        lib = Files.createDirectories(tmp.resolve("install/lib"));
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            // the jars, and the JVM flags the launcher reads (lib/jvm-flags.bash, written by the build)
            for (Path f : jars.filter(p -> p.toString().endsWith(".jar") || p.endsWith("jvm-flags.bash")).toList()) {
                Files.copy(f, lib.resolve(f.getFileName()));
            }
        }
        admin = home.resolve("bin/sst-admin");
        datadir = Files.createDirectories(tmp.resolve("data"));
        history = tmp.resolve("history");
        cnf = tmp.resolve("node.cnf");
        Files.writeString(cnf, "[mysqld]\ndatadir=" + datadir + "\n[sst]\nhistory-dir=" + history + "\n");
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(boolean asUser, List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asUser) {
            cmd.addAll(List.of("/usr/sbin/runuser", "-u", USER, "--"));
        }
        cmd.add(admin.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("SST_ORCHESTRATOR_LIB", lib.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "sst-admin " + args + " hung");
        return new Result(p.exitValue(), out, err);
    }

    private Result asRoot(String... args) throws Exception {
        return run(false, List.of(args), Map.of());
    }

    private void giveAwayTo(Path... paths) throws Exception {
        for (Path p : paths) {
            try (Stream<Path> all = Files.walk(p)) {
                for (Path q : all.toList()) {
                    Files.setOwner(q, q.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER));
                }
            }
        }
    }

    /** A history as an SST of that user leaves it: a completed run with a kept log, a failed one, and {@code more}. */
    private void historyOf(java.util.function.Consumer<H2RunJournal> more) throws Exception {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            long[] now = {1_763_683_200_000L};
            H2RunJournal j = new H2RunJournal(db, () -> now[0] += 1000);
            j.runStarted(new NewRun(COMPLETED, "joiner", datadir.toString(), "127.0.0.1", 1, 42L, "0.2.0", now[0]));
            for (String s : List.of("preflight", "listen", "receive_magic", "prepare")) {
                j.stageStarted(COMPLETED, s);
                j.stageCompleted(COMPLETED, s, "ok");
            }
            Path logs = Files.createDirectories(history.resolve("logs").resolve(COMPLETED));
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(logs.resolve("01-prepare-m.log.gz")))) {
                out.write("[00] completed OK!\n".getBytes(StandardCharsets.UTF_8));
            }
            j.runLog(COMPLETED, "prepare", datadir.resolve("mariabackup.prepare.log").toString(), "01-prepare-m.log.gz", 19);
            j.runEnded(COMPLETED, true, 0, null);
            j.runStarted(new NewRun(FAILED, "donor", datadir.toString(), "127.0.0.1:4444", 1, 42L, "0.2.0", now[0]));
            j.stageStarted(FAILED, "preflight");
            j.stageFailed(FAILED, "preflight", 42, "mariadb-backup not found in PATH");
            j.runEnded(FAILED, false, 42, "mariadb-backup not found in PATH");
            more.accept(j);
        }
    }

    @Test
    void onACleanHistoryEveryCommandRunAsRootAnswersAsItAnswersItsOwner() throws Exception {
        historyOf(j -> { });
        giveAwayTo(history, datadir);
        String h = "--history-dir=" + history;
        List<List<String>> commands = List.of(List.of("history", h), List.of("history", h, "--json"),
                List.of("inspect", "last", h), List.of("inspect", FAILED.substring(0, 8), h, "--json"),
                List.of("logs", COMPLETED.substring(0, 8), h), List.of("watch", COMPLETED.substring(0, 8), h),
                List.of("cleanup", "--stale", "--dry-run", h), List.of("resume", COMPLETED.substring(0, 8), h),
                List.of("doctor", "--defaults-file=" + cnf), List.of("history", "--defaults-file=" + cnf),
                List.of("status", "--probe", h, "--datadir=" + datadir),
                List.of("doctor", "--bootstrap-check", h, "--datadir=" + datadir));
        for (List<String> c : commands) {
            Result owner = run(true, c, Map.of());
            Result root = run(false, c, Map.of());
            assertEquals(owner.code(), root.code(), c + ": " + root.err());
            // the one figure that moves between the two runs: the disk's free space
            assertEquals(owner.out().replaceAll("[0-9.]+ MB free", "N MB free"),
                    root.out().replaceAll("[0-9.]+ MB free", "N MB free"), c.toString());
            assertEquals(owner.err(), root.err(), c.toString());
            assertFalse(root.out().isBlank() && root.err().isBlank(), c + " said nothing");
        }
        assertTrue(asRoot("doctor", "--defaults-file=" + cnf).out().contains(history + " is writable by " + USER));
        assertTrue(asRoot("history", "--history-dir=" + history).out().contains("aaaaaaaa  joiner"));
    }

    @Test
    void noPlantOfTheOwnersRunsAsRootOrDeletesWhatIsRoots() throws Exception {
        Path drop = Files.createDirectories(tmp.resolve("drop"));
        Files.setAttribute(drop, "unix:mode", 01777);
        Path evilBin = Files.createDirectories(tmp.resolve("evil-bin"));
        Path mark = drop.resolve("planted-program-ran");
        for (String program : List.of("my_print_defaults", "mariadb-backup", "mbstream", "mariadb")) {
            Files.writeString(evilBin.resolve(program), "#!/bin/sh\nid -u > '" + mark + "'\n");
            Files.setPosixFilePermissions(evilBin.resolve(program), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        historyOf(j -> {
            j.runStarted(new NewRun(FORGED, "joiner", datadir.toString(), null, 1, 42L, "0.2.0", 1_763_683_300_000L));
            j.runArguments(FORGED, List.of("--role", "joiner", "--address", "127.0.0.1:4444", "--datadir",
                    datadir.toString(), "--defaults-file", cnf.toString(), "--parent", "1"));
            j.attribute(FORGED, "env.PATH", evilBin.toString());
            for (String s : List.of("preflight", "listen", "receive_magic", "check_versions", "plan_space", "receive_stream")) {
                j.stageStarted(FORGED, s);
                j.stageCompleted(FORGED, s, "ok");
            }
        });
        giveAwayTo(history, datadir, evilBin);
        Path victim = Files.createDirectories(tmp.resolve("victim/tree"));
        Files.writeString(victim.resolve("precious"), "root's");

        // 1. the trigger, planted by its owner, runs at every open of the database
        Path plants = Path.of("src/test/resources/plants").toAbsolutePath();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process plant = new ProcessBuilder("/usr/sbin/runuser", "-u", USER, "--", java.toString(), "-cp", lib + "/*",
                plants.resolve("PlantTrigger.java").toString(), history.toString(), drop.toString())
                .redirectErrorStream(true).start();
        String planted = new String(plant.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, plant.waitFor(), planted);
        Result listed = asRoot("history", "--history-dir=" + history);
        assertEquals(0, listed.code(), listed.err());
        assertTrue(listed.out().contains("aaaaaaaa  joiner"), listed.out());
        assertEquals(List.of(), ownedByRoot(drop), "the planted trigger ran as root");

        // 2. the forged run's PATH chooses nothing resume runs
        Result resumed = asRoot("resume", FORGED.substring(0, 8), "--history-dir=" + history, "--defaults-file=" + cnf);
        assertEquals(1, resumed.code(), resumed.out() + resumed.err());
        assertFalse(Files.exists(mark, LinkOption.NOFOLLOW_LINKS), "a program from the recorded PATH ran, as uid "
                + (Files.exists(mark) ? Files.readString(mark).strip() : "?"));

        // 3. a fake SST on the history's socket names a tree outside as its copy
        Process fake = new ProcessBuilder("/usr/sbin/runuser", "-u", USER, "--", java.toString(),
                plants.resolve("FakeSst.java").toString(), history.toString(), history + "/snapshots/../../victim/tree")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader ready = new BufferedReader(new InputStreamReader(fake.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", ready.readLine(), "the fake SST did not start");
            Files.createDirectories(history.resolve("snapshots")); // as any SST leaves it
            Result refused = asRoot("history", "--history-dir=" + history);
            assertEquals(1, refused.code(), refused.out());
            assertTrue(refused.err().contains("outside"), refused.err());
        } finally {
            fake.getOutputStream().close();
            fake.waitFor(30, TimeUnit.SECONDS);
            fake.destroyForcibly();
        }
        assertEquals("root's", Files.readString(victim.resolve("precious")), "root's tree was deleted");
        assertEquals(List.of(), ownedByRoot(drop), "nothing the owner planted ran as root");
    }

    private static List<Path> ownedByRoot(Path dir) throws IOException {
        try (Stream<Path> all = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            for (Path p : all.toList()) {
                if ((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 0) {
                    out.add(p);
                }
            }
            return out;
        }
    }
}
