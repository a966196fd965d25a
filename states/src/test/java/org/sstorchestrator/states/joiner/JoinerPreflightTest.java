package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.run.SstContext;

/** The joiner's preflight: everything that can be checked is checked before anything is changed (P5). */
class JoinerPreflightTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private Path backup;
    private Path mbstream;

    @BeforeEach
    void tools() throws Exception {
        backup = f.standIn("mariadb-backup");
        mbstream = f.standIn("mbstream");
    }

    private void nothingWasChanged() {
        assertFalse(Files.exists(f.datadir.resolve(SstFiles.IN_PROGRESS)), "no in-progress marker");
        assertFalse(Files.exists(f.datadir.resolve(SstLock.FILE)), "the datadir was not taken");
        assertEquals(List.of(), f.printed());
    }

    @Test
    void preflightFindsTheToolsOnPathTakesTheDatadirAndMarksTheRunInProgress() throws Exception {
        SstContext ctx = f.joiner();

        assertEquals(Stage.OK, new JoinerPreflight().run(ctx));

        assertEquals(new Binaries(backup, Optional.of(mbstream)), ctx.facts().get(Binaries.class));
        assertTrue(ctx.facts().has(SstLock.class));
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(f.datadir.resolve(SstLock.FILE)).strip());
        assertEquals(f.runId() + "\n", Files.readString(f.datadir.resolve(SstFiles.IN_PROGRESS)));
        assertEquals(ctx.prepareLog().toString(), f.recorder.attributes.get("prepare_log"));
        assertEquals(ctx.moveLog().toString(), f.recorder.attributes.get("move_log"));
        assertEquals(List.of(), f.calls("mariadb-backup"), "preflight runs no tool");
        assertEquals(List.of(), f.printed(), "nothing for mysqld yet: ready comes from listen");
    }

    @Test
    void thePreviousRunsLogsAreArchivedBeforeThisRunWritesItsOwn() throws Exception {
        Path archive = f.root.resolve("archive");
        f.option("sst", "sst-log-archive", "1").option("sst", "sst-log-archive-dir", archive.toString());
        f.write(f.datadir.resolve("mariabackup.prepare.log"), "the last run's prepare\n");
        f.write(f.datadir.resolve(SstFiles.RECEIVE_LOG), "the last run's mbstream\n");

        new JoinerPreflight().run(f.joiner());

        assertFalse(Files.exists(f.datadir.resolve("mariabackup.prepare.log")));
        assertFalse(Files.exists(f.datadir.resolve(SstFiles.RECEIVE_LOG)));
        List<String> archived = StageFixture.list(archive);
        assertEquals(2, archived.size(), archived.toString());
        assertTrue(archived.stream().allMatch(n -> n.startsWith("mariabackup.") && n.endsWith(".gz")), archived.toString());
    }

    @Test
    void aMissingDatadirIsExit2() {
        SstContext ctx = f.joiner("--datadir", f.root.resolve("no-such-dir").toString());
        SstException e = failsWith(ExitCode.ENOENT, () -> new JoinerPreflight().run(ctx));
        assertTrue(e.getMessage().contains("no-such-dir"), e.getMessage());
    }

    /**
     * Not writable by its mode, or, for root (CI runs as root, and root writes through any
     * mode), by a read-only bind mount of the datadir on itself.
     */
    @Test
    void aDatadirThatIsNotWritableIsExit22BeforeAnythingIsWritten() throws Exception {
        Files.setPosixFilePermissions(f.datadir, PosixFilePermissions.fromString("r-x------"));
        boolean mounted = false;
        try {
            if (Files.isWritable(f.datadir)) {
                mount("--bind", f.datadir.toString(), f.datadir.toString());
                mounted = true;
                mount("-o", "remount,bind,ro", f.datadir.toString());
            }
            assertFalse(Files.isWritable(f.datadir), "the datadir is still writable");
            failsWith(ExitCode.EINVAL, () -> new JoinerPreflight().run(f.joiner()));
            nothingWasChanged();
        } finally {
            if (mounted) {
                mount("-u", f.datadir.toString());
            }
            Files.setPosixFilePermissions(f.datadir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** mount(8), or umount(8) with "-u" first; fails the test when it fails. */
    private static void mount(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        if (args[0].equals("-u")) {
            cmd.add("umount");
            cmd.addAll(List.of(args).subList(1, args.length));
        } else {
            cmd.add("mount");
            cmd.addAll(List.of(args));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    @Test
    void withoutMbstreamTheJoinerExtractsTheStreamItself() throws Exception {
        Files.delete(mbstream);
        SstContext ctx = f.joiner();

        assertEquals(Stage.OK, new JoinerPreflight().run(ctx));

        assertEquals(new Binaries(backup, Optional.empty()), ctx.facts().get(Binaries.class));
    }

    @Test
    void aMissingMbstreamIsExit42WhenTheStreamGoesThroughItAndNothingIsChanged() throws Exception {
        Files.delete(mbstream);
        f.option("sst", "sst-extractor", "mbstream");
        SstException e = failsWith(ExitCode.TOOL_MISSING, () -> new JoinerPreflight().run(f.joiner()));
        assertTrue(e.getMessage().startsWith("Streaming with mbstream, but mbstream not found in path"), e.getMessage());
        nothingWasChanged();
    }

    @Test
    void aMissingMariadbBackupIsExit42AndNothingIsChanged() throws Exception {
        Files.delete(backup);
        failsWith(ExitCode.TOOL_MISSING, () -> new JoinerPreflight().run(f.joiner()));
        nothingWasChanged();
    }

    @Test
    void anAddressThatIsNotHostPortModuleIsExit22BeforeAnythingIsChanged() {
        SstContext ctx = f.joiner("--address", "127.0.0.1:4444;reboot");
        failsWith(ExitCode.EINVAL, () -> new JoinerPreflight().run(ctx));
        nothingWasChanged();
    }

    @Test
    void anotherSstStillRunningOnTheDatadirIsExit114AndItsMarkerIsLeftAlone() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Path marker = f.datadir.resolve(SstLock.FILE);
            Files.writeString(marker, other.pid() + "\n");
            // the lock waits 30 s on the run's clock for a live owner: this clock passes them at once
            SstContext ctx = f.clockLeaping(31_000_000_000L).joiner();

            SstException e = failsWith(ExitCode.EALREADY, () -> new JoinerPreflight().run(ctx));

            assertTrue(e.getMessage().contains("pid " + other.pid()), e.getMessage());
            assertEquals(other.pid() + "\n", Files.readString(marker));
            assertFalse(Files.exists(f.datadir.resolve(SstFiles.IN_PROGRESS)));
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aParentMysqldThatIsAlreadyGoneFailsPreflightWith32AndNothingIsChanged() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        SstContext ctx = f.joiner("--parent", Long.toString(gone.pid()));

        SstException e = failsWith(ExitCode.EPIPE, () -> new JoinerPreflight().run(ctx));

        assertTrue(e.getMessage().startsWith("Parent mysqld process (PID: " + gone.pid() + ") terminated unexpectedly."),
                e.getMessage());
        nothingWasChanged();
    }

    /** As the stock joiner at its start: the InnoDB/Aria directories my.cnf names are created, and where they are recorded. */
    @Test
    void theInnodbAndAriaDirectoriesAreCreatedAtTheStartAndTheLayoutIsRecorded() throws Exception {
        Path undo = f.root.resolve("new/undo");
        f.option("mysqld", "innodb-undo-directory", undo.toString());
        f.env("INNODB_DATA_HOME_DIR", f.root.resolve("ibhome").toString());

        new JoinerPreflight().run(f.joiner());

        assertTrue(Files.isDirectory(undo));
        assertTrue(Files.isDirectory(f.root.resolve("ibhome")));
        assertTrue(f.recorder.attributes.get("layout").contains("innodb-undo-directory=" + undo),
                f.recorder.attributes.toString());
        assertEquals(f.root.resolve("ibhome").toString(), f.recorder.attributes.get("env.INNODB_DATA_HOME_DIR"),
                "for sst-admin resume, which has not mysqld's environment");
    }

    /** The wipe empties every InnoDB/Aria directory: one that holds the datadir would take what lies beside it. */
    @Test
    void aDirectoryThatHoldsTheDatadirIsExit22BeforeAnythingIsChanged() throws Exception {
        f.option("mysqld", "innodb-data-home-dir", f.root + "/");

        SstException e = failsWith(ExitCode.EINVAL, () -> new JoinerPreflight().run(f.joiner()));

        assertTrue(e.getMessage().startsWith("innodb-data-home-dir = '" + f.root + "' (my.cnf) holds the datadir"),
                e.getMessage());
        nothingWasChanged();
    }
}
