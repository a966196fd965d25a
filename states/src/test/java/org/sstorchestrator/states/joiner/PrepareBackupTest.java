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
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.mariabackup.DonorVersions;
import org.sstorchestrator.states.run.SstContext;

/** prepare: the donor's backup-my.cnf is rewritten, then a stand-in mariadb-backup --prepare runs on .sst. */
class PrepareBackupTest {

    /** A donor's backup-my.cnf with a plugin and paths planted in it. */
    private static final String DONOR_CNF = """
            [mysqld]
            innodb_checksum_algorithm=crc32
            innodb_data_file_path=ibdata1:12M:autoextend
            innodb_undo_directory=/etc/evil
            innodb_data_home_dir=/etc
            plugin_load=x=evil.so
            plugin_dir=.
            """;

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private Path sst;

    @BeforeEach
    void aReceivedBackup() throws Exception {
        f.option("mysqld", "plugin-dir", Files.createDirectories(f.root.resolve("plugins")).toString());
        sst = f.datadir.resolve(".sst");
        f.write(sst.resolve("backup-my.cnf"), DONOR_CNF);
        f.write(sst.resolve("xtrabackup_checkpoints"), "backup_type = full-backuped\n");
        f.write(sst.resolve("evil.so"), "a library the donor sent along");
    }

    private SstContext joiner(String... extra) {
        SstContext ctx = f.joiner(extra);
        ctx.facts().put(new Binaries(f.bin.resolve("mariadb-backup"), Optional.of(f.bin.resolve("mbstream"))));
        ctx.facts().put(new Received());
        return ctx;
    }

    private Path prepareLog() {
        return f.datadir.resolve("mariabackup.prepare.log");
    }

    @Test
    void theDonorsBackupMyCnfIsRewrittenBeforeMariadbBackupPrepareReadsIt() throws Exception {
        Path seen = f.bin.resolve("backup-my.cnf.as-prepare-saw-it");
        f.standIn("mariadb-backup", "cp '" + sst.resolve("backup-my.cnf") + "' '" + seen + "'");

        assertEquals(Stage.OK, new PrepareBackup().run(joiner()));

        String read = Files.readString(seen);
        assertTrue(read.contains("[mysqld]\ninnodb_checksum_algorithm=crc32\ninnodb_data_file_path=ibdata1:12M:autoextend\n"
                + "innodb_undo_directory=./\n"), read);
        assertFalse(read.contains("evil") || read.contains("/etc") || read.contains("plugin"), read);
        assertEquals(read, Files.readString(sst.resolve("backup-my.cnf")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sst.resolve("backup-my.cnf"))),
                "it may hold the joiner's own key-management settings");
        assertTrue(f.recorder.notes.contains("backup_cnf_dropped: innodb_data_home_dir=/etc"), f.recorder.notes.toString());
        assertTrue(f.recorder.notes.stream().anyMatch(n -> n.startsWith("backup_cnf_dropped: plugin_load=x=evil.so")),
                f.recorder.notes.toString());
        assertTrue(f.recorder.notes.stream().anyMatch(n -> n.startsWith("backup_cnf_replaced: innodb_undo_directory=/etc/evil")),
                f.recorder.notes.toString());
    }

    /**
     * Issue 19: the key-management options on mysqld's own command line (as containers start
     * it) are the joiner's own configuration: prepare gets the joiner's key file from them,
     * never the donor's path from the stream; mysqld's command line wins over my.cnf, as in
     * mysqld; a filekey given there reaches the owner-only file and no child's argv.
     */
    @Test
    void theKeyManagementOptionsOnMysqldsCommandLineAreTheJoinersOwnForPrepare() throws Exception {
        Files.writeString(Files.createDirectories(f.root.resolve("plugins")).resolve("file_key_management.so"), "plugin");
        f.write(sst.resolve("backup-my.cnf"), """
                [mysqld]
                plugin_load=file_key_management=file_key_management.so
                plugin_dir="/usr/lib/mysql/plugin"
                file_key_management_encryption_algorithm=aes_cbc
                file_key_management_filekey=
                file_key_management_filename=/donor/keys.txt
                file_key_management_use_pbkdf2=0
                """);
        f.option("mysqld", "file-key-management-filename", "/from/my.cnf/keys.txt");
        Path seen = f.bin.resolve("backup-my.cnf.as-prepare-saw-it");
        f.standIn("mariadb-backup", "cp '" + sst.resolve("backup-my.cnf") + "' '" + seen + "'");

        new PrepareBackup().run(joiner("--mysqld-args", "--plugin-load-add=file_key_management.so",
                "--loose-file-key-management-filename=/joiner/keys.txt", "--file_key_management_filekey=S3cret",
                "--file-key-management-encryption-algorithm=aes_ctr"));

        String read = Files.readString(seen);
        assertTrue(read.contains("file_key_management_filename=/joiner/keys.txt\n"), read);
        assertTrue(read.contains("file_key_management_encryption_algorithm=aes_ctr\n"), read);
        assertTrue(read.contains("file_key_management_filekey=S3cret\n"), read);
        assertTrue(read.contains("file_key_management_use_pbkdf2=0\n"), "a plain value from the stream stays: " + read);
        assertFalse(read.contains("/donor/") || read.contains("/from/my.cnf/"), read);
        assertFalse(String.join(" ", f.onlyCall("mariadb-backup")).contains("S3cret"), "the filekey never reaches argv");
    }

    @Test
    void prepareRunsOnDotSstWithNoPathFromTheStreamInItsArgvAndNoPassword() throws Exception {
        f.standIn("mariadb-backup");

        SstContext ctx = joiner();
        new PrepareBackup().run(ctx);

        // nothing sizes the prepare here: a quarter of this machine's available memory (MachineSizing)
        String memory = "--use-memory=" + ctx.sizing.prepareUseMemory();
        List<String> argv = f.onlyCall("mariadb-backup");
        assertEquals(List.of("--prepare", "--no-version-check", memory, "--target-dir=" + sst, "--datadir=" + sst), argv);
        assertEquals(List.of(f.datadir.toString()), f.workingDirectories("mariadb-backup"));
        assertEquals(List.of("<unset>"), f.passwordsSeen("mariadb-backup"));
        assertEquals(List.of(new StageFixture.Recorder.Child(List.of(f.bin.resolve("mariadb-backup").toString(),
                "--prepare", "--no-version-check", memory, "--target-dir=" + sst, "--datadir=" + sst), 0,
                prepareLog().toString())),
                f.recorder.children);
        assertEquals(List.of(), f.printed());
    }

    @Test
    void theOperatorsApplyOptionsMemoryAndMysqldsOwnOptionsReachPrepareButNotMysqldsDatadir() throws Exception {
        f.standIn("mariadb-backup");
        f.option("sst", "inno-apply-opts", "--verbose  --innodb-log-buffer-size=1M").option("sst", "use-memory", "1G");

        new PrepareBackup().run(joiner("--mysqld-args", "--datadir=/var/lib/elsewhere", "--innodb-force-recovery=1",
                "--innodb-buffer-pool-size=256M", "--wsrep-on=ON"));

        assertEquals(List.of("--prepare", "--no-version-check", "--innodb-force-recovery=1", "--verbose",
                "--innodb-log-buffer-size=1M", "--innodb-buffer-pool-size=256M", "--use-memory=1G", "--target-dir=" + sst,
                "--datadir=" + sst, "--mysqld-args", "--wsrep-on=ON"), f.onlyCall("mariadb-backup"));
    }

    @Test
    void aPrepareThatRunsOutOfDiskIsExit28() throws Exception {
        f.standIn("mariadb-backup", "echo '[ERROR] InnoDB: Write to ./ib_logfile0 failed. Operating system error number 28.' >&2\n"
                + "exit 1");

        SstException e = failsWith(ExitCode.ENOSPC, () -> new PrepareBackup().run(joiner()));

        assertTrue(e.getMessage().contains(prepareLog().toString()), e.getMessage());
    }

    @Test
    void aPrepareThatFailsOtherwiseIsExit22NamingItsLogAndLastLine() throws Exception {
        f.standIn("mariadb-backup", "echo '[00] preparing' >&2\necho 'page 7 of ./ibdata1 is corrupted' >&2\nexit 1");

        SstException e = failsWith(ExitCode.EINVAL, () -> new PrepareBackup().run(joiner()));

        assertTrue(e.getMessage().startsWith("mariadb-backup apply finished with errors. Check syslog or '" + prepareLog()
                + "' for details. (mariadb-backup --prepare exited with 1)")
                && e.getMessage().endsWith("last line of " + prepareLog() + ": page 7 of ./ibdata1 is corrupted"),
                e.getMessage());
        assertEquals(1, f.recorder.children.get(0).exitCode());
    }

    /**
     * Issue 19: the lines that explain a failure sit above the log's last line, which explains
     * nothing; the error quotes them first, and a known cause brings the setting to change.
     */
    @Test
    void aFailedPrepareQuotesItsFirstErrorsThenItsLastLineAndNamesTheKeyFileWhenThatIsTheCause() throws Exception {
        f.standIn("mariadb-backup", "echo '[00] 2026-01-01 10:00:00 Starting InnoDB instance for recovery.' >&2\n"
                + "echo '2026-01-01 10:00:01 0 [ERROR] InnoDB: Encryption key is not found for ./test/t4.ibd' >&2\n"
                + "echo '2026-01-01 10:00:01 0 [Note] InnoDB: more' >&2\n"
                + "echo \"Error in my_thread_global_end(): 1 threads didn't exit\" >&2\nexit 1");

        SstException e = failsWith(ExitCode.EINVAL, () -> new PrepareBackup().run(joiner()));

        assertTrue(e.getMessage().contains("(mariadb-backup --prepare exited with 1); errors in " + prepareLog()
                + ": \"[ERROR] InnoDB: Encryption key is not found for ./test/t4.ibd\"; \"Error in my_thread_global_end(): 1"
                + " threads didn't exit\"; remedy: "), e.getMessage());
        assertTrue(e.getMessage().contains("file_key_management_filename"), e.getMessage());
    }

    @Test
    void aFullDiskOfAnEarlierRunInThePrepareLogDoesNotMakeThisFailure28() throws Exception {
        f.write(prepareLog(), "Operating system error number 28 (an earlier run)\n");
        f.standIn("mariadb-backup", "echo '[ERROR] InnoDB: corrupted page' >&2\nexit 1");

        failsWith(ExitCode.EINVAL, () -> new PrepareBackup().run(joiner()));
    }

    @Test
    void aBackupMyCnfNoMariadbBackupWritesIsRefusedWith32AndPrepareNeverRuns() throws Exception {
        f.standIn("mariadb-backup");
        f.write(sst.resolve("backup-my.cnf"), "[mysqld]\n" + "# padding\n".repeat(10_000));

        SstException e = failsWith(ExitCode.EPIPE, () -> new PrepareBackup().run(joiner()));

        assertTrue(e.getMessage().contains("which no mariadb-backup writes"), e.getMessage());
        assertEquals(List.of(), f.calls("mariadb-backup"));
    }

    @Test
    void withoutABackupMyCnfPrepareRunsOnItsDefaultsAsWithTheStockScript() throws Exception {
        Files.delete(sst.resolve("backup-my.cnf"));
        f.standIn("mariadb-backup");

        assertEquals(Stage.OK, new PrepareBackup().run(joiner()));

        assertFalse(Files.exists(sst.resolve("backup-my.cnf")));
        assertEquals(1, f.calls("mariadb-backup").size());
    }

    /** A stand-in mariadb-backup of 10.11 that records whether prepare ran. */
    private void mariadbBackup10_11() throws Exception {
        f.standIn("mariadb-backup", "case \"$1\" in --version) echo 'mariadb-backup based on MariaDB server 10.11.19-MariaDB"
                + " debian-linux-gnu (x86_64)' >&2;; *) echo prepared >> '" + f.root.resolve("prepared") + "';; esac");
    }

    /**
     * Issue 22, the stock donor's case: its versions arrive with the backup, in the info file its
     * mariadb-backup writes last; a newer major version is refused before prepare, and so before
     * the wipe that follows it, with the old data as it was.
     */
    @Test
    void aBackupWhoseInfoFileAnnouncesANewerMajorVersionIsRefusedBeforePrepareWithTheOldDataWhole() throws Exception {
        mariadbBackup10_11();
        Path old = f.write(f.datadir.resolve("ibdata1"), "the old data");
        f.write(sst.resolve("xtrabackup_info"), "uuid = 1\nname = \ntool_name = mariabackup\ntool_version = 11.4.5-MariaDB\n"
                + "ibbackup_version = 11.4.5-MariaDB\nserver_version = 11.4.5-MariaDB-log\n");

        SstException e = failsWith(ExitCode.VERSION_SKEW, () -> new PrepareBackup().run(joiner()));

        assertTrue(e.getMessage().contains("MariaDB 11.4") && e.getMessage().contains("10.11.19-MariaDB")
                && e.getMessage().contains("the old data is untouched") && e.getMessage().contains("wsrep_sst_donor"),
                e.getMessage());
        assertFalse(Files.exists(f.root.resolve("prepared")), "prepare never ran");
        assertEquals("the old data", Files.readString(old));
        assertEquals("11.4.5-MariaDB-log", f.recorder.attributes.get("donor_server_version"));
        assertEquals("11.4.5-MariaDB", f.recorder.attributes.get("donor_backup_version"));
        assertEquals("10.11.19-MariaDB", f.recorder.attributes.get("backup_version"));
    }

    @Test
    void afterAnEarlyWipeTheRefusalSaysTheOldDataIsGoneAndTheBackupStays() throws Exception {
        mariadbBackup10_11();
        f.write(sst.resolve("mariadb_backup_info"), "server_version = 12.0.1-MariaDB\n");
        SstContext ctx = joiner();
        ctx.facts().put(new WipeBegan());

        SstException e = failsWith(ExitCode.VERSION_SKEW, () -> new PrepareBackup().run(ctx));

        assertTrue(e.getMessage().contains("already wiped"), e.getMessage());
    }

    @Test
    void anOlderOrEqualDonorIsPreparedAndItsVersionsRecorded() throws Exception {
        mariadbBackup10_11();
        f.write(sst.resolve("xtrabackup_info"), "tool_version = 10.6.20-MariaDB\nserver_version = 10.6.20-MariaDB-log\n");

        assertEquals(Stage.OK, new PrepareBackup().run(joiner()));

        assertEquals("prepared\n", Files.readString(f.root.resolve("prepared")));
        assertEquals("the backup's xtrabackup_info", f.recorder.attributes.get("donor_versions_from"));
    }

    @Test
    void versionsTransferOneAnnouncedAndTheBackupConfirmsAreNotJudgedTwice() throws Exception {
        mariadbBackup10_11();
        f.write(sst.resolve("xtrabackup_info"), "tool_version = 10.11.19-MariaDB\nserver_version = 10.11.19-MariaDB-log\n");
        SstContext ctx = joiner();
        ctx.facts().put(new DonorVersions(Optional.of("10.11.19-MariaDB-log"), Optional.of("10.11.19-MariaDB"), "transfer 1"));

        assertEquals(Stage.OK, new PrepareBackup().run(ctx));

        assertEquals(1, f.calls("mariadb-backup").size(), "prepare alone: no second --version");
    }
}
