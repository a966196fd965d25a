package org.sstorchestrator.states.donor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.POSITION;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.LoopbackPeer;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.StageFixture.Recorder.Transfer;
import org.sstorchestrator.states.wire.ForgedChunks;
import org.sstorchestrator.states.wire.GaleraInfo;
import org.sstorchestrator.states.wire.MbstreamReader;

/**
 * Transfer 2 on the donor: a stand-in {@code mariadb-backup --backup --stream=mbstream} writes
 * a backup's stream, the stage copies it to a loopback joiner.
 */
class StreamBackupTest {

    private static final String PASSWORD = "s3cret-Pa55";

    @RegisterExtension
    final StageFixture f = new StageFixture().credentials("sst", PASSWORD);
    private byte[] backupStream;
    private Path streamFile;

    @BeforeEach
    void aBackupToStream() throws Exception {
        backupStream = ForgedChunks.concat(
                ForgedChunks.file("xtrabackup_checkpoints", "backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 45678\n"),
                ForgedChunks.file("ibdata1", "a page of the system tablespace\n".repeat(2000)),
                ForgedChunks.file(GaleraInfo.LEGACY_NAME, POSITION + "\n"));
        streamFile = Files.write(f.root.resolve("backup.mbstream"), backupStream);
    }

    /** A stand-in for {@code mariadb-backup --backup --stream=mbstream}: the stream on stdout. */
    private void mariadbBackupStreaming() throws Exception {
        f.standIn("mariadb-backup", "cat '" + streamFile + "'");
    }

    private SstContext donor(int port, String... extra) {
        SstContext ctx = f.donor(port, extra);
        ctx.facts().put(new Binaries(f.bin.resolve("mariadb-backup"), Optional.empty()));
        ctx.facts().put(new Estimate(1500L));
        return ctx;
    }

    private void theTemporaryDirectoriesAreGone() throws Exception {
        assertEquals(List.of(), StageFixture.list(f.tmpdir));
    }

    @Test
    void streamBackupSendsMariadbBackupsStreamToTheJoinerWithThePasswordOnlyInItsEnvironment() throws Exception {
        mariadbBackupStreaming();
        Path cnf = f.write(f.root.resolve("my.cnf"), "[mysqld]\n");
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            SstContext ctx = donor(joiner.port(), "--defaults-file", cnf.toString());

            assertEquals(Stage.OK, new StreamBackup().run(ctx));

            byte[] received = joiner.received();
            assertArrayEquals(backupStream, received);
            Map<String, byte[]> files = MbstreamReader.readAll(new ByteArrayInputStream(received));
            assertEquals(POSITION + "\n", new String(files.get(GaleraInfo.LEGACY_NAME), StandardCharsets.UTF_8));
            String work = f.recorder.attributes.get(SstFiles.TMP_BACKUP);
            String tmpdir = f.recorder.attributes.get(SstFiles.TMP_TMPDIR);
            assertEquals(f.tmpdir, Path.of(work).getParent());
            assertEquals(List.of("--defaults-file=" + cnf, "--backup", "--no-version-check", "--log-copy-interval=50",
                    "--databases-exclude=lost+found",
                    "--tmpdir=" + tmpdir, "--user=sst", "--galera-info", "--stream=mbstream", "--target-dir=" + work,
                    "--datadir=" + f.datadir), f.onlyCall("mariadb-backup"));
            assertEquals(List.of(PASSWORD), f.passwordsSeen("mariadb-backup"), "MYSQL_PWD");
            assertFalse(f.recorder.children.toString().contains(PASSWORD), "never in argv or the record");
            assertEquals(List.of(f.datadir.toString()), f.workingDirectories("mariadb-backup"));
            assertEquals(List.of(new Transfer("backup", backupStream.length, true)), f.recorder.transfers);
            assertEquals(ctx.backupLog().toString(), f.recorder.children.get(0).log());
            theTemporaryDirectoriesAreGone();
            assertEquals(List.of(), f.printed(), "done is report_done's, after cleanup");
        }
    }

    @Test
    void theSocketThreadsBackupOptionsAndMysqldsBufferPoolAsUseMemoryReachTheBackupInTheStockOrder() throws Exception {
        mariadbBackupStreaming();
        f.option("sst", "inno-backup-opts", "--slave-info --safe-slave-backup").option("mysqld", "backup-threads", "2");
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            new StreamBackup().run(donor(joiner.port(), "--socket", "/run/mysqld/mysqld.sock", "--mysqld-args",
                    "--innodb-buffer-pool-size=1G", "--wsrep-on=ON", "--wsrep-sst-auth=sst:" + PASSWORD));

            String work = f.recorder.attributes.get(SstFiles.TMP_BACKUP);
            String tmpdir = f.recorder.attributes.get(SstFiles.TMP_TMPDIR);
            assertEquals(List.of("--backup", "--no-version-check", "--parallel=2", "--log-copy-interval=50",
                    "--databases-exclude=lost+found",
                    "--slave-info", "--safe-slave-backup", "--tmpdir=" + tmpdir, "--innodb-buffer-pool-size=1G",
                    "--user=sst", "--socket=/run/mysqld/mysqld.sock", "--use-memory=1G", "--galera-info", "--stream=mbstream",
                    "--target-dir=" + work, "--datadir=" + f.datadir, "--mysqld-args", "--wsrep-on=ON"),
                    f.onlyCall("mariadb-backup"));
        }
    }

    /**
     * mariadb-backup's own 1000 ms between redo-log polls is what its end waits on a donor that
     * takes writes; ours passes 50 unless the operator set log-copy-interval, and a
     * --log-copy-interval in inno-backup-opts comes later on the line, so it wins.
     */
    @Test
    void theOperatorsLogCopyIntervalReachesTheBackupAndInnoBackupOptsComeAfterIt() throws Exception {
        mariadbBackupStreaming();
        f.option("mariabackup", "log-copy-interval", "200").option("sst", "inno-backup-opts", "--log-copy-interval=300");
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            new StreamBackup().run(donor(joiner.port()));
            List<String> argv = f.onlyCall("mariadb-backup");
            assertEquals(List.of("--log-copy-interval=200", "--log-copy-interval=300"),
                    argv.stream().filter(a -> a.startsWith("--log-copy-interval")).toList());
        }
    }

    @Test
    void aBackupThatFailsIsExit22NamingItsLogsLastLineAndTheTemporaryDirectoriesGo() throws Exception {
        f.standIn("mariadb-backup", "echo '[00] FATAL ERROR: failed to connect: Access denied for user sst' >&2\nexit 1");
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            SstContext ctx = donor(joiner.port());

            SstException e = failsWith(ExitCode.EINVAL, () -> new StreamBackup().run(ctx));

            assertTrue(e.getMessage().contains("errors in " + ctx.backupLog() + ": \"[00] FATAL ERROR: failed to connect"),
                    e.getMessage());
            assertEquals(0, joiner.received().length);
            assertEquals(List.of(new StageFixture.Recorder.Transfer("backup", 0, false)), f.recorder.transfers,
                    "the donor's history has the failed transfer, as the joiner's does");
            theTemporaryDirectoriesAreGone();
        }
    }

    @Test
    void aBackupThatRunsOutOfDiskIsExit28NamingItsTemporaryDirectory() throws Exception {
        f.standIn("mariadb-backup", "echo '[01] error: write failed: errno 28 (No space left on device)' >&2\nexit 1");
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            SstException e = failsWith(ExitCode.ENOSPC, () -> new StreamBackup().run(donor(joiner.port())));

            assertTrue(e.getMessage().contains("set tmpdir"), e.getMessage());
            theTemporaryDirectoriesAreGone();
        }
    }

    @Test
    void aJoinerThatGoesAwayMidStreamIsExit32AndTheBackupIsStopped() throws Exception {
        f.standIn("mariadb-backup", "exec head -c 268435456 /dev/zero");
        try (LoopbackPeer joiner = LoopbackPeer.joinerResettingAfter(256 << 10)) {
            SstContext ctx = donor(joiner.port());

            SstException e = failsWith(ExitCode.EPIPE, () -> new StreamBackup().run(ctx));

            assertTrue(e.getMessage().contains("sending the backup failed after"), e.getMessage());
            Transfer t = f.recorder.transfers.get(0);
            assertFalse(t.complete());
            assertTrue(t.bytes() < 268435456L, t.toString());
            assertTrue(f.recorder.started.stream().noneMatch(ProcessHandle::isAlive), "no backup outlives the run");
            theTemporaryDirectoriesAreGone();
        }
    }

    @Test
    void aBackupThatHangsIsCutOffAtTheIdleTimeoutWith32() throws Exception {
        f.option("sst", "sst-idle-timeout", "1").clockRunningTimesFaster(10);
        f.standIn("mariadb-backup", "exec sleep 30");
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            SstContext ctx = donor(joiner.port());

            SstException e = failsWith(ExitCode.EPIPE, () -> new StreamBackup().run(ctx));

            assertTrue(e.getMessage().contains("stalled: no data for 1 s"), e.getMessage());
            assertEquals(List.of(new Transfer("backup", 0, false)), f.recorder.transfers);
            assertTrue(f.recorder.started.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @Test
    void aJoinerThatNeverListensIsExit32AndNoBackupIsStarted() throws Exception {
        mariadbBackupStreaming();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        f.clockLeaping(10_000_000_000L);

        SstException e = failsWith(ExitCode.EPIPE, () -> new StreamBackup().run(donor(port)));

        assertTrue(e.getMessage().contains("sst-connect-timeout"), e.getMessage());
        assertEquals(List.of(), f.calls("mariadb-backup"));
        theTemporaryDirectoriesAreGone();
    }
}
