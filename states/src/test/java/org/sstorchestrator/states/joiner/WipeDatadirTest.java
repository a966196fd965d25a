package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.mariabackup.BackupFlags;
import org.sstorchestrator.states.run.SstContext;

/** wipe_datadir, the destructive step: everything but cpat's keep-list, the new backup in .sst and our markers. */
class WipeDatadirTest {

    /** What the stock cpat keeps, one of each. */
    private static final List<String> KEPT_BY_CPAT = List.of("galera.cache", "grastate.dat", "gvwstate.dat", "node1.err",
            "mysqld.log", "server-key.pem", "RPM_UPGRADE_MARKER");

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @BeforeEach
    void anOldDatadirAndAPreparedBackup() throws Exception {
        for (String old : List.of("ibdata1", "ib_logfile0", "undo001", "shop/orders.ibd", "mysql/user.MAI",
                "aria_log_control", "xtrabackup_galera_info")) {
            f.write(f.datadir.resolve(old), "old data");
        }
        for (String kept : KEPT_BY_CPAT) {
            f.write(f.datadir.resolve(kept), "kept");
        }
        f.write(f.datadir.resolve(SstFiles.IN_PROGRESS), "run\n");
        f.write(f.datadir.resolve(SstLock.FILE), "1\n");
        f.write(f.datadir.resolve(".sst/ibdata1"), "the new, prepared data");
        f.write(f.datadir.resolve(".sst/xtrabackup_checkpoints"), "backup_type = full-prepared\n");
    }

    private SstContext joiner(String... extra) {
        SstContext ctx = f.joiner(extra);
        ctx.facts().put(new Received());
        return ctx;
    }

    @Test
    void wipeDatadirKeepsCpatAndDotSstAndOurMarkersAndRemovesEverythingElse() throws Exception {
        SstContext ctx = joiner();

        assertEquals(Stage.OK, new WipeDatadir().run(ctx));

        List<String> left = StageFixture.list(f.datadir);
        for (String kept : KEPT_BY_CPAT) {
            assertTrue(left.contains(kept), kept + " in " + left);
        }
        assertTrue(left.containsAll(List.of(".sst/ibdata1", ".sst/xtrabackup_checkpoints", SstFiles.IN_PROGRESS,
                SstLock.FILE)), left.toString());
        assertEquals(KEPT_BY_CPAT.size() + 5, left.size(), "nothing else: " + left);
        assertEquals("the new, prepared data", Files.readString(f.datadir.resolve(".sst/ibdata1")));
        assertTrue(ctx.facts().has(WipeBegan.class));
        assertEquals("7", f.recorder.attributes.get("wiped_entries"), "5 files and 2 directories");
    }

    /**
     * CI saw the wipe fail (exit 22) on {@code .sst_status.json.<pid>.tmp}: listed as a victim, then
     * renamed over the status by the heartbeat before its delete. The heartbeat's file is ours and
     * goes on being rewritten during the wipe: it is never a victim.
     */
    @Test
    void theLiveStatusAndTheTemporaryFileItIsRewrittenThroughAreNeverVictims() throws Exception {
        f.write(f.datadir.resolve(SstFiles.STATUS), "{}\n");
        f.write(f.datadir.resolve("." + SstFiles.STATUS + ".4178.tmp"), "{}\n");
        f.write(f.datadir.resolve("." + SstFiles.STATUS + ".4178.tmp.old"), "not ours");
        SstContext ctx = joiner();

        new WipeDatadir().run(ctx);

        List<String> left = StageFixture.list(f.datadir);
        assertTrue(left.containsAll(List.of(SstFiles.STATUS, "." + SstFiles.STATUS + ".4178.tmp")), left.toString());
        assertFalse(left.contains("." + SstFiles.STATUS + ".4178.tmp.old"), left.toString());
    }

    @Test
    void theOldBinaryLogsTheirIndexAndStateFileGoButNothingElseOfTheBinlogDirectory() throws Exception {
        Path binlogs = Files.createDirectories(f.root.resolve("binlogs"));
        for (String name : List.of("mysql-bin.000001", "mysql-bin.000002", "mysql-bin.000003", "mysql-bin.state",
                "other-bin.000001", "notes.txt")) {
            f.write(binlogs.resolve(name), "x");
        }
        f.write(binlogs.resolve("mysql-bin.index"), binlogs.resolve("mysql-bin.000001") + "\n"
                + binlogs.resolve("mysql-bin.000002") + "\n\n");
        SstContext ctx = joiner("--binlog", binlogs.resolve("mysql-bin").toString());

        new WipeDatadir().run(ctx);

        assertEquals(List.of("notes.txt", "other-bin.000001"), StageFixture.list(binlogs));
    }

    @Test
    void theInnodbAndAriaDirectoriesOutsideTheDatadirAreWipedToo() throws Exception {
        Path data = f.write(f.root.resolve("innodb-data/ibdata1"), "old").getParent();
        Path redo = f.write(f.root.resolve("innodb-redo/ib_logfile0"), "old").getParent();
        f.write(redo.resolve("grastate.dat"), "cpat applies there as well");
        SstContext ctx = joiner("--mysqld-args", "--innodb-data-home-dir=" + data, "--innodb-log-group-home-dir=" + redo);

        new WipeDatadir().run(ctx);

        assertEquals(List.of(), StageFixture.list(data));
        assertEquals(List.of("grastate.dat"), StageFixture.list(redo));
    }

    @Test
    void aCpatOfTheOperatorsKeepsWhatItNamesAndNeverTheBackupOrTheMarkersLess() throws Exception {
        f.option("sst", "cpat", ".*\\.keep$\\|.*grastate\\.dat$");
        f.write(f.datadir.resolve("notes.keep"), "kept by the operator's cpat");

        new WipeDatadir().run(joiner());

        assertEquals(List.of(".sst", ".sst/ibdata1", ".sst/xtrabackup_checkpoints", "grastate.dat", "notes.keep",
                SstFiles.IN_PROGRESS, SstLock.FILE), StageFixture.list(f.datadir));
    }

    @Test
    void aLinkInTheDatadirIsRemovedAndWhatItPointsAtIsNeverFollowed() throws Exception {
        Path outside = f.write(f.root.resolve("outside/precious"), "not the datadir's");
        Files.createSymbolicLink(f.datadir.resolve("link-to-dir"), outside.getParent());
        Files.createSymbolicLink(f.datadir.resolve("link-to-file"), outside);

        new WipeDatadir().run(joiner());

        assertFalse(Files.exists(f.datadir.resolve("link-to-dir"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(f.datadir.resolve("link-to-file"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("not the datadir's", Files.readString(outside));
    }

    @Test
    void runningItAgainAfterACrashFindsNothingMoreToRemove() throws Exception {
        SstContext ctx = joiner();
        new WipeDatadir().run(ctx);
        List<String> after = StageFixture.list(f.datadir);

        new WipeDatadir().run(joiner());

        assertEquals(after, StageFixture.list(f.datadir));
        assertEquals("0", f.recorder.attributes.get("wiped_entries"));
    }

    /** Issue 9: set only in my.cnf (the common case), they were left, and move-back, which never overwrites, met them. */
    @Test
    void theInnodbAndAriaDirectoriesSetOnlyInMyCnfAreWipedKeepingWhatCpatKeeps() throws Exception {
        Path home = f.write(f.root.resolve("ibhome/ibdata1"), "old").getParent();
        f.write(home.resolve("keep.pem"), "cpat keeps it");
        Path redo = f.write(f.root.resolve("redo/ib_logfile0"), "old").getParent();
        Path undo = f.write(f.root.resolve("undo/undo001"), "old").getParent();
        Path aria = f.write(f.root.resolve("aria/aria_log.00000001"), "old").getParent();
        f.option("mysqld", "innodb-data-home-dir", home.toString()).option("mysqld", "innodb-log-group-home-dir", redo + "/")
                .option("mysqld", "innodb-undo-directory", undo.toString()).option("mysqld", "aria-log-dir-path", aria.toString());

        new WipeDatadir().run(joiner());

        assertEquals(List.of("keep.pem"), StageFixture.list(home), "ibdata1 would meet move-back");
        assertEquals(List.of(), StageFixture.list(redo));
        assertEquals(List.of(), StageFixture.list(undo));
        assertEquals(List.of(), StageFixture.list(aria));
        assertTrue(Files.isDirectory(undo), "the directories themselves stay");
    }

    @Test
    void theDataHomeMysqldPutsInItsEnvironmentIsWipedAndGivenToMariadbBackup() throws Exception {
        Path home = f.write(f.root.resolve("ibhome/ibdata1"), "old").getParent();
        f.env("INNODB_DATA_HOME_DIR", home + "/ ");
        SstContext ctx = joiner();

        new WipeDatadir().run(ctx);

        assertEquals(List.of(), StageFixture.list(home));
        assertEquals(List.of("--innodb-data-home-dir=" + home), new BackupFlags(ctx).innoExtra(), "as the stock script's INNOEXTRA");
    }

    @Test
    void aBinlogDirectoryThatDoesNotExistYetDoesNotFailTheWipe() throws Exception {
        f.write(f.datadir.resolve("node-bin.000003"), "old");

        new WipeDatadir().run(joiner("--binlog", f.root.resolve("binlogs/node-bin").toString()));

        assertFalse(Files.exists(f.datadir.resolve("node-bin.000003")));
        assertFalse(Files.exists(f.root.resolve("binlogs")), "made after move-back, as stock, not by the wipe");
    }

    @Test
    void oldBinlogsNamedOnlyInMyCnfGoWithTheirIndexAndState() throws Exception {
        Path binlogs = f.root.resolve("binlogs");
        for (String name : List.of("nodeA-bin.000001", "nodeA-bin.000002", "nodeA-bin.state", "other.000001")) {
            f.write(binlogs.resolve(name), "x");
        }
        f.write(f.root.resolve("elsewhere/stray.000009"), "listed in the index");
        // mysqld's own rule with a base name: the index is <basename>-bin.index in the datadir
        f.write(f.datadir.resolve("nodeA-bin.index"), binlogs.resolve("nodeA-bin.000001") + "\n"
                + f.root.resolve("elsewhere/stray.000009") + "\n");
        f.option("mysqld", "log-bin", binlogs.resolve("nodeA-bin").toString()).option("mysqld", "log-basename", "nodeA");

        new WipeDatadir().run(joiner());

        assertEquals(List.of("other.000001"), StageFixture.list(binlogs));
        assertFalse(Files.exists(f.root.resolve("elsewhere/stray.000009")), "every file the old index lists goes");
        assertFalse(Files.exists(f.datadir.resolve("nodeA-bin.index")));
    }

    /** Preflight refuses such a directory; should a resumed run reach the wipe with one, it still spares the datadir. */
    @Test
    void aDirectoryThatHoldsTheDatadirNeverTakesTheDatadirWithIt() throws Exception {
        f.write(f.root.resolve("ibdata1"), "old");
        f.option("mysqld", "innodb-data-home-dir", f.root.toString());

        new WipeDatadir().run(joiner());

        assertTrue(StageFixture.list(f.root).contains("data"), StageFixture.list(f.root).toString());
        assertEquals("the new, prepared data", Files.readString(f.datadir.resolve(".sst/ibdata1")));
    }

    /**
     * Issue 22: once the wipe begins, the node must say it is no bootstrap candidate. The file is
     * rewritten through its own inode, as the running mysqld's Galera holds it open and writes it
     * (a renamed-over file would never see Galera's later writes), to Galera's own bytes for a
     * state it does not trust.
     */
    @Test
    void theWipeMarksGrastateUnsafeToBootstrapInPlaceBeforeItRemovesAnything() throws Exception {
        Path grastate = f.write(f.datadir.resolve("grastate.dat"), "# GALERA saved state\nversion: 2.1\n"
                + "uuid:    6aa82394-e53e-11f1-9d1a-a25450683f20\nseqno:   1234567\nsafe_to_bootstrap: 1\n"
                + " ".repeat(40) + "\n");
        Object inode = Files.getAttribute(grastate, "unix:ino");
        try (java.nio.channels.FileChannel galera = java.nio.channels.FileChannel.open(grastate,
                java.nio.file.StandardOpenOption.READ)) {
            new WipeDatadir().run(joiner());

            String expected = "# GALERA saved state\nversion: 2.1\nuuid:    00000000-0000-0000-0000-000000000000\n"
                    + "seqno:   -1\nsafe_to_bootstrap: 0\n";
            assertEquals(expected, Files.readString(grastate));
            assertEquals(inode, Files.getAttribute(grastate, "unix:ino"), "the same file, not a new one renamed over it");
            java.nio.ByteBuffer seen = java.nio.ByteBuffer.allocate(256);
            galera.read(seen, 0);
            assertEquals(expected, new String(seen.array(), 0, seen.position(), java.nio.charset.StandardCharsets.US_ASCII),
                    "what a process holding the file open reads");
        }
        assertFalse(Files.exists(f.datadir.resolve("ibdata1")));
    }

    @Test
    void aDatadirWithoutGrastateGetsOneThatSaysItIsNoBootstrapCandidate() throws Exception {
        Files.delete(f.datadir.resolve("grastate.dat"));

        new WipeEarly().run(joiner());

        assertTrue(Files.readString(f.datadir.resolve("grastate.dat")).contains("seqno:   -1\nsafe_to_bootstrap: 0\n"));
    }
}
