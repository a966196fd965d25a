package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.RunDetail;

/**
 * Issue 18 item 3: a kept log is read only from the run's own log directory of the history,
 * never through a link, and never whole into memory however far its gzip expands.
 */
class LogFilesTest {

    private static final String RUN = "12345678-1234-4234-8234-123456789012";

    @TempDir
    Path tmp;
    private Path history;
    private Path runLogs;

    @BeforeEach
    void dirs() throws IOException {
        history = Files.createDirectories(tmp.resolve("history"));
        runLogs = Files.createDirectories(history.resolve("logs").resolve(RUN));
        Files.writeString(tmp.resolve("secret"), "root's secret\n");
    }

    private static RunDetail.Log log(String stored) {
        return new RunDetail.Log("prepare", "/var/lib/mysql/mariabackup.prepare.log", stored, 10);
    }

    private static void gzip(Path file, long zeros, String tail) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            byte[] block = new byte[1 << 16];
            java.util.Arrays.fill(block, (byte) 'z');
            for (long n = 0; n < zeros; n += block.length) {
                out.write(block);
            }
            out.write(tail.getBytes());
        }
    }

    @Test
    void aNameThatLeavesTheRunsLogDirectoryIsRefused() {
        for (String name : List.of("../../../secret", "/etc/passwd", "a/b.gz", "..", "x\nforged line")) {
            IOException e = assertThrows(IOException.class, () -> LogFiles.read(history, RUN, log(name)), name);
            assertTrue(e.getMessage().contains("outside the run's log directory"), e.getMessage());
        }
        assertThrows(IOException.class, () -> LogFiles.read(history, "../../x", log("01-prepare.gz")));
    }

    @Test
    void aLinkInPlaceOfTheLogOrOfItsDirectoryIsNotFollowed() throws IOException {
        gzip(tmp.resolve("elsewhere.gz"), 0, "not the run's\n");
        Files.createSymbolicLink(runLogs.resolve("01-prepare.gz"), tmp.resolve("elsewhere.gz"));
        assertThrows(IOException.class, () -> LogFiles.read(history, RUN, log("01-prepare.gz")));

        Files.delete(runLogs.resolve("01-prepare.gz"));
        Files.delete(runLogs);
        Path other = Files.createDirectories(tmp.resolve("other-logs"));
        gzip(other.resolve("01-prepare.gz"), 0, "not the run's\n");
        Files.createSymbolicLink(runLogs, other);
        IOException e = assertThrows(IOException.class, () -> LogFiles.read(history, RUN, log("01-prepare.gz")));
        assertTrue(e.getMessage().contains("a link?"), e.getMessage());
    }

    @Test
    void aLogThatExpandsFarIsReadBoundedAndItsLastLinesStreamed() throws IOException {
        gzip(runLogs.resolve("01-prepare.gz"), 64L << 20, "\n[ERROR] the cause\nthe last line\n");
        String text = LogFiles.read(history, RUN, log("01-prepare.gz"));
        assertTrue(text.length() < LogFiles.MAX_TEXT + 200, "held " + text.length() + " characters");
        assertTrue(text.endsWith("sst-admin logs without --json prints it whole)\n"), text.substring(text.length() - 100));
        List<String> last = LogFiles.lastLines(history, RUN, log("01-prepare.gz"), 2);
        assertEquals(List.of("[ERROR] the cause", "the last line"), last);
    }
}
