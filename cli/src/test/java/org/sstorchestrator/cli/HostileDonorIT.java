package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.states.mariabackup.DonorVersions;

/**
 * Our real joiner against a donor an attacker controls ({@link HostileDonor}: a real backup of
 * a real node, tampered with, sent over the wire protocol). What comes from the other node
 * must never run code, reach outside the datadir, or be taken for data (issue 6).
 */
class HostileDonorIT {

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("hostile", 5);

    private static RunDetail lastRun(Path history) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            HistoryQueries q = new HistoryQueries(db);
            return q.detail(q.resolveRunId("last"));
        }
    }

    @Test
    void aPluginThatTheDonorsBackupAsksPrepareToLoadNeverRunsOnTheJoinerAndTheDropIsRecorded(@TempDir Path tmp)
            throws Exception {
        Path marker = tmp.resolve("PWNED");
        Path backup = HostileDonor.backup(DONOR.node(), tmp.resolve("backup"));
        Files.copy(HostileDonor.evilLibrary(tmp, marker), backup.resolve("evil.so"));
        Files.writeString(backup.resolve("backup-my.cnf"), "plugin_load=x=evil.so\nplugin_dir=.\n", StandardOpenOption.APPEND);

        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, Map.of());
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        HostileDonor.sendInfo(address, HostileDonor.position(backup));
        HostileDonor.sendDirectory(address, backup);
        int exit = j.exit(DirectSst.BOUND);

        assertFalse(Files.exists(marker), "the donor's library ran on the joiner during prepare:\n" + j.err());
        assertEquals(0, exit, "the backup itself is sound: the SST completes without the plugin\n" + j.err());
        List<String> notes = lastRun(j.history()).notes().stream().map(n -> n.kind() + ": " + n.detail()).toList();
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("backup_cnf_dropped: plugin_load=x=evil.so")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("backup_cnf_dropped: plugin_dir=.")), notes.toString());
        assertTrue(j.err().contains("Dropped from the donor's backup-my.cnf: plugin_load=x=evil.so"), j.err());
        TransitionLedger.record(getClass(), tmp);
    }

    /** Issue 6: without TLS nothing but the source address tells the donor's second connection from a stranger's. */
    @Test
    void aStrangerWhoRacesTheDonorToThePortIsRefusedAndRecordedAndTheDonorsBackupArrives(@TempDir Path tmp)
            throws Exception {
        Path backup = HostileDonor.backup(DONOR.node(), tmp.resolve("backup"));
        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, Map.of());
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        HostileDonor.sendInfo(address, HostileDonor.position(backup));
        java.io.ByteArrayOutputStream intruder = new java.io.ByteArrayOutputStream();
        new org.sstorchestrator.states.wire.MbstreamWriter(intruder).file("intruder.txt",
                "the stranger's data\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (java.net.Socket stranger = HostileDonor.connectFrom(address, java.net.InetAddress.getByName("127.0.0.2"))) {
            stranger.getOutputStream().write(intruder.toByteArray());
        } catch (java.io.IOException refused) {
            // closed by the joiner: fine
        }
        HostileDonor.sendDirectory(address, backup);

        assertEquals(0, j.exit(DirectSst.BOUND), j.err());
        assertFalse(Files.exists(tmp.resolve("data/intruder.txt")), "the stranger's stream was taken for the backup");
        List<String> notes = lastRun(j.history()).notes().stream().map(n -> n.kind() + ": " + n.detail()).toList();
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("refused_connection: 127.0.0.2:")), notes.toString());
        assertTrue(j.err().contains("Refused a connection from 127.0.0.2"), j.err());
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * Issue 22, a stock donor of a newer major version (PXC-851): its versions come only with
     * the backup, in the info file its mariadb-backup writes last; prepare refuses it (95) before
     * it runs, and so before the wipe, which follows prepare: the old datadir is as it was.
     */
    @Test
    void aStreamWhoseInfoFileAnnouncesANewerMajorVersionIsRefusedBeforeTheWipeWithTheOldDataWhole(@TempDir Path tmp)
            throws Exception {
        Path backup = HostileDonor.backup(DONOR.node(), tmp.resolve("backup"));
        Path info = backup.resolve("xtrabackup_info");
        Files.writeString(info, Files.readString(info).replaceAll("(?m)^(tool_version|ibbackup_version) = .*$", "$1 = 11.4.5-MariaDB")
                .replaceAll("(?m)^server_version = .*$", "server_version = 11.4.5-MariaDB-log"));
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("ibdata1");
        Files.writeString(old, "the old datadir");

        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, Map.of());
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        HostileDonor.sendInfo(address, HostileDonor.position(backup));
        HostileDonor.sendDirectory(address, backup);

        assertEquals(95, j.exit(DirectSst.BOUND), j.err());
        assertEquals("the old datadir", Files.readString(old));
        assertTrue(j.err().contains("the donor's backup comes from MariaDB 11.4") && j.err().contains("untouched"), j.err());
        RunDetail run = lastRun(j.history());
        assertEquals("prepare", run.summary().lastStage());
        assertTrue(run.events().stream().noneMatch(e -> e.stage().startsWith("wipe")), run.events().toString());
        assertEquals("11.4.5-MariaDB-log", run.attributes().get("donor_server_version"));
        assertEquals("the backup's xtrabackup_info", run.attributes().get("donor_versions_from"));
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * Our donor announces its versions in transfer 1: a newer major version is refused right
     * after it, before plan_space, even where the new data would fit only once the old is wiped
     * (wipe_early, the stock order) and nothing of the backup has been sent.
     */
    @Test
    void aDonorThatAnnouncesANewerMajorVersionIsRefusedBeforePlanSpaceCouldWipeFirst(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path old = data.resolve("ibdata1");
        Files.write(old, new byte[32 << 20]);
        long usable = Files.getFileStore(data).getUsableSpace();
        // 10 MB free over the reserve, 32 MB of old data: an announced 24 MB fits only once the old data is wiped
        DirectSst.Side j = DirectSst.joiner(tmp, List.of("sst-initial-timeout=5", "sst-idle-timeout=5",
                "sst-space-reserve=" + (usable - (10L << 20))), Map.of());
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        HostileDonor.sendInfo(address, "6aa82394-e53e-11f1-9d1a-a25450683f20:5 0", "total " + (24L << 20) + "\n",
                Map.of(DonorVersions.FILE, "server_version = 11.4.5-MariaDB-log\ntool_version = 11.4.5-MariaDB\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertEquals(95, j.exit(DirectSst.BOUND), j.err());
        assertEquals(32 << 20, Files.size(old), "the old data is whole");
        RunDetail run = lastRun(j.history());
        assertEquals("check_versions", run.summary().lastStage());
        assertTrue(run.events().stream().noneMatch(e -> e.stage().equals("plan_space") || e.stage().startsWith("wipe")),
                run.events().toString());
        assertEquals("transfer 1", run.attributes().get("donor_versions_from"));
        TransitionLedger.record(getClass(), tmp);
    }
}
