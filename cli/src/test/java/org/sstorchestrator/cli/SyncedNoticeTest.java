package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.harness.SyncedNotice;

/** The benchmark's joiners tell when Galera made them Synced, to the millisecond, through their wsrep_notify_cmd. */
class SyncedNoticeTest {

    private static final String UUID = "6f2c1b5e-aee1-11ef-8b1f-2f6f0b5d9c1a";
    private static final String MEMBERS = "1d3b.../node1/127.0.0.1:3306,77aa.../node2/127.0.0.1:3307";

    private static void notify(Path script, Path file, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(SyncedNotice.env(file));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals("", out, "a notify command's output goes to mariadbd's error log");
    }

    @Test
    void theFirstSyncedMariadbdAnnouncesIsTheOneTakenToTheMillisecond(@TempDir Path dir) throws Exception {
        Path script = SyncedNotice.script(dir);
        Path file = dir.resolve("synced-at");
        long before = System.currentTimeMillis();
        // as MariaDB 10.11 calls it (sql/wsrep_notify.cc, wsrep-lib's lower-case state names):
        // --status, --uuid, --primary, --index, --members; a view change without a status too
        notify(script, file, "--status", "joiner");
        notify(script, file, "--uuid", UUID, "--primary", "yes", "--index", "1", "--members", MEMBERS);
        notify(script, file, "--status", "joined");
        assertEquals(OptionalLong.empty(), SyncedNotice.firstMillis(file), "not synced yet");
        notify(script, file, "--status", "synced");
        long after = System.currentTimeMillis();
        Thread.sleep(20);
        notify(script, file, "--status", "synced", "--uuid", UUID, "--primary", "yes", "--index", "1", "--members", MEMBERS);
        OptionalLong first = SyncedNotice.awaitFirstMillis(file, 1000);
        assertTrue(first.isPresent());
        assertTrue(first.getAsLong() >= before && first.getAsLong() <= after, before + " <= " + first + " <= " + after);
        assertEquals(2, Files.readAllLines(file).size());
        assertEquals(script, SyncedNotice.script(dir), "written once, shared by the run's joiners");
    }

    @Test
    void aMemberNamedSyncedOrTheWordOutsideTheStatusIsNotTakenForIt(@TempDir Path dir) throws Exception {
        Path script = SyncedNotice.script(dir);
        Path file = dir.resolve("synced-at");
        notify(script, file, "--status", "donor", "--members", "synced/synced/127.0.0.1:4567");
        notify(script, file, "synced", "--status", "joined");
        assertEquals(OptionalLong.empty(), SyncedNotice.firstMillis(file));
    }
}
