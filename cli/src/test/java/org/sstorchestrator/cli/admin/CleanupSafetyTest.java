package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.persistence.OwnerLiveness;

/**
 * Issue 6, items 6 and 7: cleanup must not delete the only copy of the data or what resume
 * still needs, and sst-admin (often root) must not trust what a history (writable by the SST's
 * user) says: a recorded path is deleted only if it is one of our temporary directories, a
 * recorded process killed only if pid, start time and program all match what the run started.
 */
class CleanupSafetyTest {

    private static final String RUN = "55555555-5555-4555-8555-555555555555";

    @TempDir
    Path tmp;
    private Path history;
    private Path datadir;
    private final List<Process> started = new java.util.ArrayList<>();

    @BeforeEach
    void dirs() throws Exception {
        history = tmp.resolve("history");
        datadir = Files.createDirectories(tmp.resolve("data"));
    }

    @AfterEach
    void stopProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    private interface Events {
        void write(H2RunJournal j) throws Exception;
    }

    /** A joiner run on {@code datadir} by a process that is gone (pid 1 with another start time), with {@code events}. */
    private void joinerRun(boolean failed, Events events) throws Exception {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            long[] now = {1_763_683_200_000L};
            H2RunJournal j = new H2RunJournal(db, () -> now[0] += 1000);
            j.runStarted(new NewRun(RUN, "joiner", datadir.toString(), null, 1, 42L, "0.2.0", now[0]));
            events.write(j);
            if (failed) {
                j.runEnded(RUN, false, 22, "mariadb-backup --move-back failed");
            }
        }
    }

    private static void completed(H2RunJournal j, String... stages) {
        for (String s : stages) {
            j.stageStarted(RUN, s);
            j.stageCompleted(RUN, s, "ok");
        }
    }

    private Path wholeBackup() throws Exception {
        Path sst = Files.createDirectories(datadir.resolve(".sst"));
        Files.writeString(sst.resolve("xtrabackup_checkpoints"), "backup_type = full-backuped\n");
        Files.writeString(sst.resolve("ibdata1"), "the donor's data");
        return sst;
    }

    private String[] admin(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--history-dir";
        all[args.length + 1] = history.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(all);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void theReceivedBackupOfARunThatResumeCouldFinishIsKeptUnlessForced() throws Exception {
        Path sst = wholeBackup();
        joinerRun(false, j -> {
            completed(j, "preflight", "listen", "receive_magic", "check_versions", "plan_space", "receive_stream", "decompress");
            j.stageStarted(RUN, "prepare");
        });
        String[] dry = admin("cleanup", "last", "--dry-run");
        assertTrue(dry[1].contains("keeps") && dry[1].contains("sst-admin resume 55555555 can still finish"), dry[1]);
        String[] clean = admin("cleanup", "last");
        assertEquals("0", clean[0], clean[2]);
        assertTrue(Files.isDirectory(sst), "cleanup deleted what resume needed:\n" + clean[1]);
        assertTrue(admin("inspect", "last")[1].contains("cleanup keeps it: sst-admin resume 55555555"));
        admin("cleanup", "last", "--force");
        assertFalse(Files.exists(sst), "--force removes it");
    }

    @Test
    void theReceivedBackupIsKeptOnceTheWipeBeganForItMayBeTheOnlyCopy() throws Exception {
        Path sst = wholeBackup();
        joinerRun(true, j -> {
            completed(j, "preflight", "listen", "receive_magic", "check_versions", "plan_space", "receive_stream", "decompress", "prepare",
                    "wipe_datadir", "drop_binlogs");
            j.stageStarted(RUN, "move_back");
            j.stageFailed(RUN, "move_back", 22, "mariadb-backup --move-back failed");
        });
        String[] clean = admin("cleanup", "--stale");
        assertEquals("0", clean[0], clean[2]);
        assertTrue(clean[1].contains("the old datadir was wiped: this may be the only copy of the data"), clean[1]);
        assertTrue(Files.isDirectory(sst), "cleanup deleted the only copy of the data");
    }

    @Test
    void staleCoversFailedRunsThatLeftSomethingAndAPartialBackupOfOneGoes() throws Exception {
        Path sst = Files.createDirectories(datadir.resolve(".sst"));
        Files.writeString(sst.resolve("ibdata1"), "half of it");
        joinerRun(true, j -> {
            completed(j, "preflight", "listen", "receive_magic", "check_versions", "plan_space");
            j.stageStarted(RUN, "receive_stream");
            j.stageFailed(RUN, "receive_stream", 28, "the filesystem is full");
        });
        String[] clean = admin("cleanup", "--stale");
        assertEquals("0", clean[0], clean[2]);
        assertTrue(clean[1].contains("Cleaning run " + RUN + " (joiner, failed"), clean[1]);
        assertFalse(Files.exists(sst), "the partial backup of a failed run keeps the disk full:\n" + clean[1]);
    }

    @Test
    void aRecordedTemporaryDirectoryIsDeletedOnlyWhenItIsOneOfOursUnderTheRunsTemporaryBase() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("tmpbase"));
        Path ours = Files.createDirectory(base.resolve("sst-backup-123"));
        Path precious = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(precious.resolve("keep.txt"), "not the SST's");
        Path lookalike = Files.createDirectories(tmp.resolve("elsewhere/sst-tmp-456"));
        // a base reached through a link (issue 18): its sst-magic-* is not taken for ours
        Path linkedBase = Files.createSymbolicLink(tmp.resolve("linked-base"), Files.createDirectories(tmp.resolve("real-base")));
        Path throughLink = Files.createDirectory(tmp.resolve("real-base/sst-magic-789"));
        joinerRun(true, j -> {
            j.attribute(RUN, "tmp_base", base.toString());
            j.attribute(RUN, "tmp_backup", ours.toString());
            j.attribute(RUN, "tmp_tmpdir", precious.toString());
            j.attribute(RUN, "tmp_magic", lookalike.toString());
        });
        String[] clean = admin("cleanup", "last");
        assertEquals("0", clean[0], clean[2]);
        assertFalse(Files.exists(ours), clean[1]);
        assertTrue(Files.exists(precious.resolve("keep.txt")), "a path the history names is not trusted:\n" + clean[1]);
        assertTrue(Files.exists(lookalike), "named like ours, but not under the run's temporary base:\n" + clean[1]);
        assertTrue(clean[1].contains("not a temporary directory of ours"), clean[1]);
        assertTrue(org.sstorchestrator.states.layout.SstFiles.isOurTempDir(throughLink, tmp.resolve("real-base")));
        assertFalse(org.sstorchestrator.states.layout.SstFiles.isOurTempDir(linkedBase.resolve("sst-magic-789"), linkedBase),
                "a base reached through a link is not taken");
    }

    @Test
    void aProcessIsKilledOnlyWhenPidStartTimeAndProgramAreTheOnesTheRunStarted() throws Exception {
        Path tmpDir = Files.createDirectories(tmp.resolve("sst-backup-789"));
        Process bystander = start("sh", "-c", "sleep 600", tmpDir.toString()); // its command line names a recorded path
        Process reused = start("sleep", "601");
        Process child = start("sleep", "602");
        joinerRun(true, j -> {
            j.attribute(RUN, "tmp_backup", tmpDir.toString());
            // the pid of a process that is not the one the run started (another start time)
            j.childStarted(RUN, "receive_stream", reused.pid(), OwnerLiveness.startOf(reused.toHandle()) - 60_000, "/usr/bin/sleep");
            j.childStarted(RUN, "receive_stream", child.pid(), OwnerLiveness.startOf(child.toHandle()), "/usr/bin/sleep");
        });
        String[] clean = admin("cleanup", "last");
        assertEquals("0", clean[0], clean[2]);
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the run's own orphan is killed:\n" + clean[1]);
        assertTrue(bystander.isAlive(), "a process that merely names a recorded path is not the run's:\n" + clean[1]);
        assertTrue(reused.isAlive(), "a pid reused by another process is not the run's:\n" + clean[1]);
    }

    @Test
    void resumeRefusesARecordWhoseArgumentsNameAnotherDatadir() throws Exception {
        wholeBackup();
        Path other = Files.createDirectories(tmp.resolve("other"));
        joinerRun(false, j -> {
            j.runArguments(RUN, List.of("--role", "joiner", "--address", "127.0.0.1:4444", "--datadir", other.toString()));
            completed(j, "preflight", "listen", "receive_magic", "check_versions", "plan_space", "receive_stream", "decompress");
        });
        String[] r = admin("resume", "last");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("its recorded arguments name the datadir " + other), r[2]);
    }

    @Test
    void resumeRefusesALinkWhereTheRecordNamesADirectory() throws Exception {
        wholeBackup();
        Path target = Files.createDirectories(tmp.resolve("somewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("undo-link"), target);
        joinerRun(false, j -> {
            j.runArguments(RUN, List.of("--role", "joiner", "--address", "127.0.0.1:4444", "--datadir", datadir.toString(),
                    "--innodb-undo-directory", link.toString()));
            completed(j, "preflight", "listen", "receive_magic", "check_versions", "plan_space", "receive_stream", "decompress");
        });
        String[] r = admin("resume", "last");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains(link + " is not a directory (a link?)"), r[2]);
    }

    private Process start(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).start();
        started.add(p);
        return p;
    }
}
