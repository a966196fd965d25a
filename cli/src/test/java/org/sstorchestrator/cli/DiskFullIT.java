package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;

/**
 * Issue 6 item 10: a disk that fills up while an SST runs, on small real filesystems
 * ({@link LoopFilesystem}), against a real donor. A local ENOSPC is exit 28 with a remedy
 * about space (the stock script says "transfer failed, check the network", 32); the partial
 * transfer is recorded with its bytes; the old datadir is whole wherever the wipe had not
 * begun; what a failed run received is removed unless it is the only copy; and once the
 * space is back, the next SST succeeds. The moment the disk fills is exact: the joiner pauses
 * at a named point ({@code SST_FAULT=<point>:wait=<file>}) while the test fills it.
 */
class DiskFullIT {

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("diskfull", 20);

    @TempDir
    Path tmp;

    /** Where loop devices are not to be had, no test here runs: the class still says it took no transition. */
    @org.junit.jupiter.api.AfterAll
    static void ledger() {
        TransitionLedger.record(DiskFullIT.class, Path.of("/nonexistent"));
    }

    @BeforeEach
    void needsLoopDevices() {
        Assumptions.assumeTrue(LoopFilesystem.available(), "loop-mounted filesystems need root (CI runs as root)");
    }

    private static RunDetail lastRun(Path history) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            HistoryQueries q = new HistoryQueries(db);
            return q.detail(q.resolveRunId("last"));
        }
    }

    /** The joiner paused at {@code point} until the test creates {@code go}; the pause itself is seen through the log. */
    private static Map<String, String> pauseAt(String point, Path go) {
        return Map.of("SST_FAULT", point + ":wait=" + go);
    }

    private DirectSst.Side sstInto(Path datadir, Map<String, String> env, String... args) throws Exception {
        DirectSst.Side j = DirectSst.joinerOn(tmp, datadir, DirectSst.SHORT_TIMEOUTS, env, args);
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.donor(tmp, DONOR.node(), address, DirectSst.SHORT_TIMEOUTS, Map.of());
        return j;
    }

    private static void waitForStage(DirectSst.Side j, String stage) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!j.err().contains("/" + stage + ": " + stage + " started")) {
            if (!j.process().isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the joiner never started " + stage + ":\n" + j.err());
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aDiskThatFillsWhileTheBackupArrivesIs28KeepsTheOldDataRemovesThePartialCopyAndTheNextSstSucceeds()
            throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(tmp, "data-fs", 256)) {
            Path datadir = Files.createDirectories(fs.root().resolve("data"));
            Path old = Files.writeString(datadir.resolve("old_table.ibd"), "a table of the old datadir");
            Path go = tmp.resolve("go");
            DirectSst.Side j = sstInto(datadir, pauseAt("receive_stream.midstream", go));
            waitForStage(j, "receive_stream");
            Thread.sleep(1000); // the joiner is held once 4 MiB of the stream have arrived
            fs.fillLeaving(1 << 20);
            Files.createFile(go);

            assertEquals(28, j.exit(DirectSst.BOUND), j.err());
            String error = j.err().lines().filter(l -> l.contains("[ERROR]")).findFirst().orElse("");
            assertTrue(error.contains("is full") && error.contains("free space"), "a remedy about space: " + error);
            assertTrue(j.lines().stream().allMatch(l -> l.startsWith("ready ")), "no position (P1): " + j.lines());
            RunDetail run = lastRun(j.history());
            assertEquals("receive_stream", run.summary().lastStage());
            assertEquals(28, run.summary().exitCode());
            RunDetail.Transfer backup = run.transfers().get(run.transfers().size() - 1);
            assertTrue(backup.cutShort() && backup.bytes() > (4 << 20), "the partial transfer with its bytes: " + backup);
            assertFalse(Files.exists(datadir.resolve(".sst")), "the partial copy went, and gave the space back");
            assertEquals("a table of the old datadir", Files.readString(old), "the old datadir is whole");
            assertTrue(run.notes().stream().anyMatch(n -> n.kind().equals("removed_backup")), run.notes().toString());

            fs.giveBack();
            DirectSst.Side again = sstInto(datadir, Map.of());
            assertEquals(0, again.exit(DirectSst.BOUND), again.err());
            assertTrue(Files.isRegularFile(datadir.resolve("sbtest/t.ibd")), "the donor's table is in place");
        }
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * A real prepare needs room only for the redo it applies, which a test cannot size; a
     * stand-in at the process boundary fills the real disk for it (dd, until the kernel says
     * ENOSPC) and fails with what it got, as mariadb-backup does. Everything else is real.
     */
    @Test
    void aDiskThatFillsDuringPrepareIs28KeepsTheOldDataAndGivesTheSpaceBack() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("stand-in"));
        Path fake = bin.resolve("mariadb-backup");
        Files.writeString(fake, "#!/bin/sh\n"
                + "for a in \"$@\"; do case \"$a\" in --target-dir=*) target=\"${a#--target-dir=}\";; esac; done\n"
                + "case \" $* \" in *\" --prepare \"*)\n"
                + "  dd if=/dev/zero of=\"$target/ibtmp_redo_apply\" bs=1M 2>&1\n"
                + "  echo \"[ERROR] InnoDB: Write to file ./ibtmp_redo_apply failed: Operating system error number 28.\"\n"
                + "  exit 1;;\n"
                + "esac\n"
                + "exec /usr/bin/mariadb-backup \"$@\"\n");
        fake.toFile().setExecutable(true);
        try (LoopFilesystem fs = LoopFilesystem.create(tmp, "data-fs", 256)) {
            Path datadir = Files.createDirectories(fs.root().resolve("data"));
            Path old = Files.writeString(datadir.resolve("old_table.ibd"), "a table of the old datadir");
            DirectSst.Side j = sstInto(datadir, Map.of("PATH", bin + ":" + System.getenv("PATH")));

            assertEquals(28, j.exit(DirectSst.BOUND), j.err());
            assertTrue(j.err().contains("ran out of disk space"), j.err());
            RunDetail run = lastRun(j.history());
            assertEquals("prepare", run.summary().lastStage());
            assertEquals(28, run.summary().exitCode());
            assertEquals("a table of the old datadir", Files.readString(old), "the wipe had not begun");
            assertFalse(Files.exists(datadir.resolve(".sst")), "the received backup went: it kept the disk full");
            assertTrue(fs.free() > (100 << 20), "the space is back: " + fs.free());

            DirectSst.Side again = sstInto(datadir, Map.of());
            assertEquals(0, again.exit(DirectSst.BOUND), again.err());
        }
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * move-back copies across filesystems: InnoDB's data home on a small filesystem of its own
     * fills while ibdata1 is copied there (the real mariadb-backup, really out of space). The
     * wipe had begun, so .sst, the only copy of the data, is kept.
     */
    @Test
    void aDiskThatFillsDuringMoveBackIs28KeepsTheOnlyCopyAndTheNextSstSucceedsOnceThereIsRoom() throws Exception {
        try (LoopFilesystem dataFs = LoopFilesystem.create(tmp, "data-fs", 256);
             LoopFilesystem innodbFs = LoopFilesystem.create(tmp, "innodb-fs", 64)) {
            Path datadir = Files.createDirectories(dataFs.root().resolve("data"));
            Path home = Files.createDirectories(innodbFs.root().resolve("ibdata"));
            innodbFs.fillLeaving(2 << 20); // less than ibdata1
            DirectSst.Side j = sstInto(datadir, Map.of(), "--innodb-data-home-dir", home.toString());

            assertEquals(28, j.exit(DirectSst.BOUND), j.err());
            assertTrue(j.err().contains("mariadb-backup --move-back ran out of disk space"), j.err());
            RunDetail run = lastRun(j.history());
            assertEquals("move_back", run.summary().lastStage());
            assertTrue(Files.isDirectory(datadir.resolve(".sst")), "the only copy of the data is kept");
            String[] cleanup = admin("cleanup", "last", "--dry-run", "--history-dir", j.history().toString());
            assertTrue(cleanup[1].contains("this may be the only copy of the data"), cleanup[1]);

            innodbFs.giveBack();
            DirectSst.Side again = sstInto(datadir, Map.of(), "--innodb-data-home-dir", home.toString());
            assertEquals(0, again.exit(DirectSst.BOUND), again.err());
            assertTrue(Files.isRegularFile(home.resolve("ibdata1")), "ibdata1 is in InnoDB's data home");
        }
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void aHistoryOnAFullDiskIs28NamingTheHistory() throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(tmp, "history-fs", 16)) {
            fs.fillLeaving(0);
            Path history = fs.root().resolve("history");
            DirectSst.Side j = DirectSst.joiner(tmp, List.of("history-dir=" + history), Map.of());
            assertEquals(28, j.exit(DirectSst.BOUND), j.err());
            String error = j.err().lines().filter(l -> l.contains("[ERROR]")).findFirst().orElse("");
            assertTrue(error.contains(history.toString()) && error.contains("full"), error);
            assertEquals("", Files.readString(j.stdout()), "nothing on stdout, not even ready");
        }
    }

    private static String[] admin(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = new org.sstorchestrator.cli.admin.SstAdmin(new java.io.PrintWriter(out), new java.io.PrintWriter(err))
                .execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
