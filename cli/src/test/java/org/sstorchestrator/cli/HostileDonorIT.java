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
}
