package org.sstorchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryDatabaseTest {

    @TempDir
    Path tmp;

    private static NewRun run(String id, long pid, Long pidStart, long started) {
        return new NewRun(id, "joiner", "/var/lib/mysql", null, pid, pidStart, "test", started);
    }

    @Test
    void committedEventsSurviveAHardKillOfTheWriter() throws Exception {
        Path dir = tmp.resolve("h");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(), "40")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(137, p.waitFor(), out);
        assertTrue(out.contains("committed"), out);
        try (HistoryDatabase db = HistoryDatabase.openForReading(dir)) {
            List<String> events = new HistoryQueries(db).stageEvents("00000000-0000-0000-0000-000000000001");
            assertEquals(40, events.size(), "every committed event is on disk");
            RunSummary r = new HistoryQueries(db).history(null, 10).get(0);
            assertEquals("interrupted", r.outcome(), "no end recorded and the owner is gone");
            assertEquals("stage39", r.lastStage());
        }
    }

    @Test
    void aReaderGetsInWhileAnSstHoldsTheFileAndSeesItsLatestCommit() {
        Path dir = tmp.resolve("h");
        try (HistoryDatabase writer = HistoryDatabase.openForWriting(dir)) {
            H2RunJournal j = new H2RunJournal(writer, () -> 5L);
            j.runStarted(run("11111111-0000-0000-0000-000000000000", ProcessHandle.current().pid(),
                    OwnerLiveness.startOf(ProcessHandle.current()), 1L));
            j.stageStarted("11111111-0000-0000-0000-000000000000", "receive_stream");
            try (HistoryDatabase reader = HistoryDatabase.openForReading(dir)) {
                RunSummary r = new HistoryQueries(reader).history(null, 10).get(0);
                assertEquals("running", r.outcome());
                assertEquals("receive_stream", r.lastStage());
            }
            j.stageCompleted("11111111-0000-0000-0000-000000000000", "receive_stream", "ok");
            j.runEnded("11111111-0000-0000-0000-000000000000", true, 0, null);
        }
        try (HistoryDatabase reader = HistoryDatabase.openForReading(dir)) {
            assertEquals("completed", new HistoryQueries(reader).history(null, 10).get(0).outcome());
        }
    }

    @Test
    void aReaderThatArrivesWhileTheWriterHandsTheFileOverWaitsForItInsteadOfFailing() throws Exception {
        Path dir = tmp.resolve("h");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(), "3",
                "handover", "700").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        assertEquals("committed", out.readLine());
        try (HistoryDatabase reader = HistoryDatabase.openForReading(dir)) {
            assertEquals(List.of("stage0:started", "stage1:started", "stage2:started"),
                    new HistoryQueries(reader).stageEvents("00000000-0000-0000-0000-000000000001"));
        }
        assertEquals(0, p.waitFor());
    }

    /** An SST in another process holding {@code dir} until the returned process's stdin is closed. */
    private static Process servingWriter(Path dir) throws Exception {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString(), "2", "serve")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals("committed", new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine());
        return p;
    }

    @Test
    void aReaderOfARunningSstsHistoryReadsItsOwnCopyUntouchedByTheWriterClosingAndLeavesNoCopyBehind()
            throws Exception {
        Path dir = tmp.resolve("h");
        Process writer = servingWriter(dir);
        HistoryDatabase reader = HistoryDatabase.openForReading(dir);
        assertTrue(reader.isSnapshot(), "the file is held: the reader got a copy from the writer");
        writer.getOutputStream().close();
        assertEquals(0, writer.waitFor());
        assertEquals(List.of("stage0:started", "stage1:started"),
                new HistoryQueries(reader).stageEvents("00000000-0000-0000-0000-000000000001"),
                "the copy still reads after the writer closed");
        reader.close();
        try (var left = Files.list(dir.resolve("snapshots"))) {
            assertEquals(0, left.count(), "the reader's copy is gone");
        }
        assertFalse(Files.exists(dir.resolve("history.sock")), "the writer's socket is gone");
    }

    @Test
    void anAdminActionWhileAnSstHoldsTheHistoryIsRecordedThroughThatSst() throws Exception {
        Path dir = tmp.resolve("h");
        String id = "00000000-0000-0000-0000-000000000001";
        Process writer = servingWriter(dir);
        try {
            try (HistoryDatabase admin = HistoryDatabase.openForUpdate(dir)) {
                assertTrue(admin.isSnapshot());
                admin.adminAction(id, "cleanup", "removed x; a detail with spaces, 'quotes' and\na newline");
            }
            try (HistoryDatabase reader = HistoryDatabase.openForReading(dir)) {
                RunDetail d = new HistoryQueries(reader).detail(id);
                assertEquals("removed x; a detail with spaces, 'quotes' and\na newline", d.actions().get(0).detail());
            }
        } finally {
            writer.getOutputStream().close();
            writer.waitFor();
        }
    }

    @Test
    void aWriteFromAnInterruptedThreadIsRecordedAndLeavesTheDatabaseOpenAndTheInterruptPending() {
        Path dir = tmp.resolve("h");
        String id = "44444444-0000-0000-0000-000000000000";
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            H2RunJournal j = new H2RunJournal(db, () -> 5L);
            j.runStarted(run(id, 1L, 1L, 1L));
            Thread.currentThread().interrupt(); // as after an InterruptedException, or from a stream's end
            j.stageStarted(id, "receive_stream");
            assertTrue(Thread.interrupted(), "the interrupt is still pending for the code that owns it");
            j.stageFailed(id, "receive_stream", 3, "interrupted");
            assertEquals(List.of("receive_stream:started", "receive_stream:failed"), new HistoryQueries(db).stageEvents(id));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aDamagedHistoryIsKeptAsideWholeAndTheNextSstStartsANewOne() throws Exception {
        Path dir = tmp.resolve("h");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            new H2RunJournal(db, () -> 5L).runStarted(run("55555555-0000-0000-0000-000000000000", 1L, 1L, 1L));
        }
        Path file = dir.resolve("history.mv.db");
        byte[] bytes = Files.readAllBytes(file);
        java.util.Arrays.fill(bytes, bytes.length / 4, bytes.length * 3 / 4, (byte) 0); // a disk fault
        Files.write(file, bytes);
        HistoryException seen = assertThrows(HistoryException.class, () -> HistoryDatabase.openForReading(dir).close());
        assertTrue(seen.getMessage().contains("is damaged") && seen.getMessage().contains("the next SST keeps it"),
                seen.getMessage());

        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            new H2RunJournal(db, () -> 6L).runStarted(run("66666666-0000-0000-0000-000000000000", 1L, 1L, 2L));
            assertEquals(List.of("66666666-0000-0000-0000-000000000000"),
                    new HistoryQueries(db).history(null, 10).stream().map(RunSummary::id).toList());
        }
        List<Path> kept;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            kept = files.filter(p -> p.getFileName().toString().startsWith("history.mv.db.damaged-")).toList();
        }
        assertEquals(1, kept.size(), "the damaged file is kept");
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(kept.get(0))), "byte for byte, for H2's recovery tool");
    }

    @Test
    void theDatabaseItsKeyAndItsDirectoryAreOwnerOnly() throws Exception {
        Path dir = tmp.resolve("h");
        HistoryDatabase.openForWriting(dir).close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("history.key"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("history.mv.db"))));
    }

    @Test
    void readingWhereNoSstEverRanNamesThePath() {
        HistoryException e = assertThrows(HistoryException.class, () -> HistoryDatabase.openForReading(tmp.resolve("none")));
        assertTrue(e.getMessage().contains(tmp.resolve("none").toString()), e.getMessage());
    }

    @Test
    void historyIsNewestFirstWithFailedStageBytesAndExitCode() {
        Path dir = tmp.resolve("h");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            H2RunJournal j = new H2RunJournal(db, () -> 1000L);
            j.runStarted(run("aaaaaaaa-0000-0000-0000-000000000000", 1, 0L, 100L));
            j.stageStarted("aaaaaaaa-0000-0000-0000-000000000000", "receive_stream");
            j.transfer("aaaaaaaa-0000-0000-0000-000000000000", "receive_stream", "backup", 12345, 100L, 200L, true);
            j.stageFailed("aaaaaaaa-0000-0000-0000-000000000000", "receive_stream", 32, "cut");
            j.stageStarted("aaaaaaaa-0000-0000-0000-000000000000", "abort");
            j.stageCompleted("aaaaaaaa-0000-0000-0000-000000000000", "abort", "ok");
            j.runEnded("aaaaaaaa-0000-0000-0000-000000000000", false, 32, "cut");
            j.runStarted(run("bbbbbbbb-0000-0000-0000-000000000000", 1, 0L, 200L));
            j.attribute("bbbbbbbb-0000-0000-0000-000000000000", "peer", "10.0.0.1");
            j.attribute("bbbbbbbb-0000-0000-0000-000000000000", "peer", "ignored second write");
            j.runEnded("bbbbbbbb-0000-0000-0000-000000000000", true, 0, null);
            List<RunSummary> runs = new HistoryQueries(db).history(null, 10);
            assertEquals("bbbbbbbb-0000-0000-0000-000000000000", runs.get(0).id());
            assertEquals("10.0.0.1", runs.get(0).peer());
            RunSummary failed = runs.get(1);
            assertEquals("failed", failed.outcome());
            assertEquals("receive_stream", failed.lastStage(), "the stage that failed, not the recovery stage");
            assertEquals(12345, failed.bytes());
            assertEquals(32, failed.exitCode());
            assertEquals(900L, failed.durationMs());
            assertEquals(List.of("bbbbbbbb-0000-0000-0000-000000000000"),
                    new HistoryQueries(db).history(null, 1).stream().map(RunSummary::id).toList());
        }
    }
}
