package org.sstorchestrator.states.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19: a failed child is quoted by its first error lines, then its last line, with a remedy when the cause is known. */
class ChildLogTest {

    @TempDir
    Path tmp;

    private Path log(String text) throws Exception {
        return Files.writeString(tmp.resolve("mariabackup.prepare.log"), text);
    }

    /** A real prepare log (mariadb-backup 10.11.19, a joiner given no key file): its cause is far above its last line. */
    @Test
    void aRealPrepareWithoutTheKeyFileIsQuotedByItsCauseAndItsRemedyNamesTheKeyFileSetting() throws Exception {
        Path real = tmp.resolve("real.log");
        try (var in = getClass().getResourceAsStream("/child-logs/prepare-without-the-key-file.txt")) {
            Files.write(real, in.readAllBytes());
        }

        ChildLog.Summary s = ChildLog.summarize(real);

        assertEquals(List.of("/usr/bin/mariadb-backup: file-key-management-filename is not set",
                "[ERROR] Plugin 'file_key_management' init function returned error.",
                "[ERROR] Plugin 'file_key_management' registration as a ENCRYPTION failed."), s.errors());
        assertEquals("/usr/bin/mariadb-backup: Warning: 0 files and 3 streams is left open", s.lastLine());
        assertTrue(s.remedy().orElseThrow().contains("file_key_management_filename"), s.remedy().toString());
        String d = s.describe();
        assertTrue(d.startsWith("errors in " + real + ": \"/usr/bin/mariadb-backup: file-key-management-filename is not"
                + " set\"; \"[ERROR] Plugin"), d);
        assertTrue(d.contains("; its last line: \"/usr/bin/mariadb-backup: Warning: 0 files and 3 streams is left open\""
                + "; remedy: "), d);
    }

    /** The shape the issue reported: the cause in [ERROR] lines, then noise, then a last line that explains nothing. */
    @Test
    void theFirstErrorLinesComeBeforeTheLastLineAndAreBounded() throws Exception {
        StringBuilder text = new StringBuilder("[00] 2026-01-01 10:00:00 Starting InnoDB instance for recovery.\n");
        text.append("2026-01-01 10:00:01 0 [ERROR] InnoDB: Encryption key is not found for ./test/t4.ibd\n");
        text.append("2026-01-01 10:00:01 0 [ERROR] InnoDB: Recovery cannot access file ./test/t4.ibd\n");
        for (int i = 0; i < 50; i++) {
            text.append("2026-01-01 10:00:01 0 [ERROR] InnoDB: more of the same ").append(i).append('\n');
            text.append("2026-01-01 10:00:01 0 [Note] InnoDB: noise\n");
        }
        text.append("Error in my_thread_global_end(): 1 threads didn't exit\n\n");

        ChildLog.Summary s = ChildLog.summarize(log(text.toString()));

        assertEquals(List.of("[ERROR] InnoDB: Encryption key is not found for ./test/t4.ibd",
                "[ERROR] InnoDB: Recovery cannot access file ./test/t4.ibd", "[ERROR] InnoDB: more of the same 0"), s.errors(),
                "at most three, timestamps dropped");
        assertEquals("Error in my_thread_global_end(): 1 threads didn't exit", s.lastLine());
        assertTrue(s.remedy().isPresent());
    }

    @Test
    void aLogWithoutErrorLinesIsQuotedByItsLastLineAndOffersNoRemedy() throws Exception {
        ChildLog.Summary s = ChildLog.summarize(log("[00] 2026-01-01 10:00:00 mariabackup: Using 104857600 bytes for"
                + " buffer pool (set by --use-memory parameter)\nkilled\n"));

        assertEquals(List.of(), s.errors(), "mariadb-backup's own stamped progress lines are not errors");
        assertEquals(Optional.empty(), s.remedy());
        assertEquals("last line of " + tmp.resolve("mariabackup.prepare.log") + ": killed", s.describe());
    }

    @Test
    void onlyWhatThisChildWroteCountsAndAVeryLongLineIsCut() throws Exception {
        Path p = log("[ERROR] an earlier run's error\n");
        long before = Files.size(p);
        Files.writeString(p, "zstd: /*stdin*\\: unexpected end of file " + "x".repeat(500) + "\n",
                java.nio.file.StandardOpenOption.APPEND);

        ChildLog.Summary s = ChildLog.summarize(p, before);

        assertEquals(1, s.errors().size(), s.errors().toString());
        assertTrue(s.errors().get(0).startsWith("zstd: /*stdin*\\: unexpected end of file"));
        assertEquals(ChildLog.MAX_LINE + 3, s.errors().get(0).length());
        assertFalse(s.describe().contains("earlier run"), s.describe());
        assertFalse(s.describe().contains("its last line"), "the last line is already quoted: " + s.describe());
    }

    @Test
    void aMissingLogSaysSo() {
        ChildLog.Summary s = ChildLog.summarize(tmp.resolve("absent.log"));
        assertTrue(s.lastLine().startsWith("(unreadable: "), s.lastLine());
    }
}
