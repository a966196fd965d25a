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
        // as Galera calls it: --status, then the uuid, primary, members and index
        notify(script, file, "--status", "Joiner", "--uuid", "6f2c", "--primary", "yes", "--members", "a,b", "--index", "1");
        notify(script, file, "--status", "Joined", "--uuid", "6f2c");
        assertEquals(OptionalLong.empty(), SyncedNotice.firstMillis(file), "not Synced yet");
        notify(script, file, "--status", "Synced", "--uuid", "6f2c", "--primary", "yes");
        long after = System.currentTimeMillis();
        Thread.sleep(20);
        notify(script, file, "--status", "Synced", "--uuid", "6f2c");
        OptionalLong first = SyncedNotice.awaitFirstMillis(file, 1000);
        assertTrue(first.isPresent());
        assertTrue(first.getAsLong() >= before && first.getAsLong() <= after, before + " <= " + first + " <= " + after);
        assertEquals(2, Files.readAllLines(file).size());
        assertEquals(script, SyncedNotice.script(dir), "written once, shared by the run's joiners");
    }

    @Test
    void aNodeNamedSyncedOrAStatusElsewhereOnTheLineIsNotTakenForIt(@TempDir Path dir) throws Exception {
        Path script = SyncedNotice.script(dir);
        Path file = dir.resolve("synced-at");
        notify(script, file, "--status", "Donor", "--members", "Synced");
        notify(script, file, "Synced", "--status", "Joined");
        assertEquals(OptionalLong.empty(), SyncedNotice.firstMillis(file));
    }
}
