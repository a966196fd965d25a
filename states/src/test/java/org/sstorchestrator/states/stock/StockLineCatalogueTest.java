package org.sstorchestrator.states.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.ExitCode;

/**
 * Issue 19: our catalogue of the stock script's log lines against the list extracted from the
 * installed 10.11 script. A line of ours renamed or dropped, or one the script adds, fails
 * here until it is placed in {@link StockLine} (printed, same text) or {@link UnprintedStockLine}
 * (with its reason). Regenerate the extract after a MariaDB upgrade with
 * {@code -Dregenerate.stock.lines=true} and look at the difference.
 */
class StockLineCatalogueTest {

    private static final Path GOLDEN = Path.of("src/test/resources/stock-lines/installed-10.11.txt");

    private static List<String> golden() throws Exception {
        return Files.readAllLines(GOLDEN).stream().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void theExtractIsWhatTheInstalledScriptPrints() throws Exception {
        Assumptions.assumeTrue(InstalledScript.installed(), "the stock script is not installed here");
        List<String> extracted = InstalledScript.lines();
        if (Boolean.getBoolean("regenerate.stock.lines")) {
            Files.write(GOLDEN, extracted);
        }
        assertEquals(golden(), extracted, GOLDEN + " is not the installed script's lines: look at what changed, place it in"
                + " StockLine or UnprintedStockLine, then run with -Dregenerate.stock.lines=true");
    }

    @Test
    void everyLineOfTheInstalledScriptIsPrintedWithItsTextOrListedWithItsReason() throws Exception {
        Set<String> catalogue = new LinkedHashSet<>();
        List<String> twice = new ArrayList<>();
        for (StockLine l : StockLine.values()) {
            if (!catalogue.add(l.level() + "\t" + l.stock())) {
                twice.add(l.name());
            }
        }
        for (UnprintedStockLine l : UnprintedStockLine.values()) {
            if (!catalogue.add(l.level() + "\t" + l.stock())) {
                twice.add(l.name());
            }
        }
        List<String> golden = golden();
        List<String> missing = golden.stream().filter(g -> !catalogue.contains(g)).toList();
        List<String> unknown = catalogue.stream().filter(c -> !new HashSet<>(golden).contains(c)).toList();
        assertEquals(List.of(), missing, "lines of the installed script neither printed nor listed (renamed or dropped?)");
        assertEquals(List.of(), unknown, "catalogue lines the installed script does not have (renamed?)");
        assertEquals(List.of(), twice, "one stock line, one entry");
    }

    @Test
    void aLineIsFilledInOrderAndARunErrorIsRecognisedByItsStart() {
        assertEquals("Streaming the backup to joiner at 127.0.0.1:4444",
                StockLine.STREAMING_TO_JOINER.text("127.0.0.1", 4444));
        assertEquals("Streaming with mbstream, but mbstream not found in path",
                StockLine.STREAMING_WITHOUT_TOOL.text("mbstream", "mbstream"));
        assertEquals("mariadb-backup finished with error: 1. Check syslog or '/d/mariabackup.backup.log' for details",
                StockLine.BACKUP_FAILED.text(1, "/d/mariabackup.backup.log"));
        String m = StockLine.SSL_MODE_WITHOUT_CERTIFICATE.failure(ExitCode.EINVAL, " (joiner: no ssl-cert)", "REQUIRED")
                .getMessage();
        assertTrue(StockLine.beginsRunError(m), m);
        assertFalse(StockLine.beginsRunError("cannot connect to the joiner at 127.0.0.1:4444"));
        assertFalse(StockLine.beginsRunError("Streaming the backup to joiner at x"), "a LINE never ends the run");
    }
}
