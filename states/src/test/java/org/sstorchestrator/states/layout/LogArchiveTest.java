package org.sstorchestrator.states.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.RunRecorder;

/**
 * Issue 6 item 4: the default archive directory is in world-writable /tmp, where a planted link
 * named like the next archive file made us truncate its target. The archive is now created new
 * and never through a link, and a directory that is not safe is refused (archived in place).
 */
class LogArchiveTest {

    private static final long NOW = 1_764_460_800_123L;

    @TempDir
    Path tmp;
    private Path datadir;
    private final List<String> notes = new ArrayList<>();
    private final RunRecorder recorder = new RunRecorder() {
        @Override
        public void child(List<String> argv, Integer code, long s, long e, String log) {
        }

        @Override
        public void transfer(String what, long bytes, long s, long e, boolean complete) {
        }

        @Override
        public void attribute(String name, String value) {
        }

        @Override
        public void progress(long bytes, Long total) {
        }

        @Override
        public void note(String kind, String detail) {
            notes.add(kind + ": " + detail);
        }
    };

    @BeforeEach
    void logs() throws Exception {
        datadir = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(datadir.resolve("mariabackup.prepare.log"), "the last prepare\n");
    }

    private static String gunzip(Path p) throws Exception {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aLinkPlantedWhereTheNextArchiveGoesIsNeverFollowed() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("archive"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path victim = Files.writeString(tmp.resolve("ibdata1"), "a table space that must survive");
        String next = LogArchive.archiveName(datadir.resolve("mariabackup.prepare.log"), NOW) + ".gz";
        Files.createSymbolicLink(dir.resolve(next), victim);

        LogArchive.archive(datadir, dir, NOW, recorder);

        assertEquals("a table space that must survive", Files.readString(victim), "the link's target was written through");
        assertEquals("the last prepare\n", gunzip(dir.resolve(next.replace(".gz", "-1.gz"))), "archived beside it instead");
        assertFalse(Files.exists(datadir.resolve("mariabackup.prepare.log")));
    }

    @Test
    void aDirectoryOthersMayWriteToIsRefusedAndTheLogsAreArchivedInPlace() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("archive"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        LogArchive.archive(datadir, dir, NOW, recorder);

        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing written into a directory others control");
        }
        Path inPlace = datadir.resolve(LogArchive.archiveName(datadir.resolve("mariabackup.prepare.log"), NOW) + ".gz");
        assertEquals("the last prepare\n", gunzip(inPlace));
        assertTrue(notes.get(0).startsWith("log_archive_refused: " + dir + ": others may write to it"), notes.toString());
    }

    @Test
    void aDirectoryThatIsALinkIsRefused() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(tmp.resolve("archive"), real);
        LogArchive.archive(datadir, link, NOW, recorder);
        try (var files = Files.list(real)) {
            assertEquals(0, files.count());
        }
        assertTrue(notes.get(0).contains("it is a symbolic link"), notes.toString());
    }

    @Test
    void aMissingDirectoryIsCreatedForTheOwnerAloneAndStampedAsTheStockScriptStampsIt() throws Exception {
        Path dir = tmp.resolve("new/archive");
        LogArchive.archive(datadir, dir, NOW, recorder);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (var files = Files.list(dir)) {
            String name = files.findFirst().orElseThrow().getFileName().toString();
            assertTrue(name.matches("mariabackup\\.prepare\\.log\\.\\d{4}\\.\\d\\d\\.\\d\\d-\\d\\d\\.\\d\\d\\.\\d\\d\\.\\d{9}\\.gz"),
                    name);
        }
        assertEquals(List.of(), notes);
    }

    /** Issue 19: as the stock script, the directory is there after a first SST, which has no log to move. */
    @Test
    void theDirectoryIsCreatedAtTheStartOfEveryRunEvenWithNoLogToMove() throws Exception {
        Files.delete(datadir.resolve("mariabackup.prepare.log"));
        Path dir = tmp.resolve("first/sst/archive");

        LogArchive.archive(datadir, dir, NOW, recorder);

        assertTrue(Files.isDirectory(dir), "made at the start of the run");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(List.of(), notes);
    }

    @Test
    void aRefusedDirectoryIsReportedOnEveryRunEvenWithNoLogToMove() throws Exception {
        Files.delete(datadir.resolve("mariabackup.prepare.log"));
        Path dir = Files.createDirectory(tmp.resolve("archive"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        LogArchive.archive(datadir, dir, NOW, recorder);

        assertTrue(notes.get(0).startsWith("log_archive_refused: " + dir + ": others may write to it"), notes.toString());
    }

    @Test
    void withArchivingOffThePreviousLogsAreRemovedAsTheStockScriptTruncatesThem() throws Exception {
        LogArchive.archive(datadir, null, NOW, recorder);
        assertFalse(Files.exists(datadir.resolve("mariabackup.prepare.log")));
    }
}
