package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.run.SstContext;

/** move_back: a stand-in mariadb-backup --move-back moves .sst into the wiped datadir; .sst goes only on success. */
class MoveBackTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private Path sst;

    @BeforeEach
    void aPreparedBackupInAWipedDatadir() throws Exception {
        sst = f.datadir.resolve(".sst");
        f.write(sst.resolve("ibdata1"), "the new data");
        f.write(sst.resolve("xtrabackup_checkpoints"), "backup_type = full-prepared\n");
        f.write(f.datadir.resolve("grastate.dat"), "kept by the wipe");
    }

    private SstContext joiner(String... extra) {
        SstContext ctx = f.joiner(extra);
        ctx.facts().put(new Binaries(f.bin.resolve("mariadb-backup"), Optional.of(f.bin.resolve("mbstream"))));
        ctx.facts().put(new Received());
        ctx.facts().put(new WipeBegan());
        return ctx;
    }

    private Path moveLog() {
        return f.datadir.resolve("mariabackup.move.log");
    }

    @Test
    void moveBackRunsMariadbBackupMoveBackFromDotSstIntoTheDatadirThenRemovesDotSst() throws Exception {
        Path cnf = f.write(f.root.resolve("my.cnf"), "[mysqld]\n");
        f.standIn("mariadb-backup", "mv '" + sst.resolve("ibdata1") + "' '" + f.datadir + "/'");

        SstContext ctx = joiner("--defaults-file", cnf.toString());
        assertEquals(Stage.OK, new MoveBack().run(ctx));

        List<String> expected = new java.util.ArrayList<>(List.of("--defaults-file=" + cnf, "--move-back",
                "--no-version-check"));
        if (ctx.sizing.moveBackParallel() > 1) { // backup-threads unset: every CPU, at most 8 (MachineSizing)
            expected.add("--parallel=" + ctx.sizing.moveBackParallel());
        }
        expected.addAll(List.of("--galera-info", "--force-non-empty-directories", "--target-dir=" + sst,
                "--datadir=" + f.datadir));
        assertEquals(expected, f.onlyCall("mariadb-backup"));
        assertEquals(List.of(f.datadir.toString()), f.workingDirectories("mariadb-backup"));
        assertEquals("the new data", Files.readString(f.datadir.resolve("ibdata1")));
        assertFalse(Files.exists(sst), ".sst is removed once its data is in place");
        assertEquals(moveLog().toString(), f.recorder.children.get(0).log());
        assertEquals(0, f.recorder.children.get(0).exitCode());
    }

    @Test
    void theMoveOptionsThreadsAndInnodbDirectoriesOfThisNodeAreGivenToMoveBack() throws Exception {
        f.standIn("mariadb-backup");
        f.option("sst", "inno-move-opts", "--verbose").option("mysqld", "backup-threads", "4");

        new MoveBack().run(joiner("--mysqld-args", "--innodb-data-home-dir=/srv/ibdata", "--innodb-undo-directory=/srv/undo"));

        assertEquals(List.of("--move-back", "--no-version-check", "--verbose", "--parallel=4",
                "--innodb-data-home-dir=/srv/ibdata", "--innodb-undo-directory=/srv/undo", "--galera-info",
                "--force-non-empty-directories", "--target-dir=" + sst, "--datadir=" + f.datadir), f.onlyCall("mariadb-backup"));
    }

    @Test
    void aFailedMoveBackIsExit22AndKeepsDotSstWhichMayHoldTheOnlyCopyOfTheData() throws Exception {
        f.standIn("mariadb-backup", "echo '[01] error: cannot rename ./ibdata1' >&2\nexit 1");

        SstException e = failsWith(ExitCode.EINVAL, () -> new MoveBack().run(joiner()));

        assertTrue(e.getMessage().startsWith("Check syslog or '" + f.datadir.resolve("mariabackup.move.log") + "' for"
                + " details (mariadb-backup --move-back exited with 1)")
                && e.getMessage().contains("[01] error: cannot rename ./ibdata1"), e.getMessage());
        assertEquals("the new data", Files.readString(sst.resolve("ibdata1")));
    }

    @Test
    void aMoveBackThatFindsTheDiskFullIsExit28AndKeepsDotSst() throws Exception {
        f.standIn("mariadb-backup", "echo \"[01] error: copy failed: No space left on device\" >&2\nexit 1");

        failsWith(ExitCode.ENOSPC, () -> new MoveBack().run(joiner()));

        assertTrue(Files.exists(sst.resolve("ibdata1")));
    }

    /** As the stock script after a successful move-back: mysqld cannot open its binary log in a missing directory. */
    @Test
    void theBinaryLogsDirectoryAndItsIndexsAreCreatedAfterASuccessfulMoveBack() throws Exception {
        f.standIn("mariadb-backup");
        f.option("mysqld", "log-bin", f.root.resolve("binlogs/nodeA-bin").toString())
                .option("mysqld", "log-bin-index", f.root.resolve("idx/i").toString());

        new MoveBack().run(joiner());

        assertTrue(Files.isDirectory(f.root.resolve("binlogs")));
        assertTrue(Files.isDirectory(f.root.resolve("idx")));
    }
}
