package org.sstorchestrator.cli.log;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.sstorchestrator.states.stock.StockLine;

/** Issue 19: the stock script's lines in its own shape, ours with the run and stage they belong to. */
class SstLogFormatTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    private static String format(String logger, Level level, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName(logger);
        return new SstLogFormat().format(r);
    }

    @Test
    void aStockLineIsPrintedAsTheStockScriptPrintsItAndOursCarriesTheRunAndStage() {
        MDC.put("role", "joiner");
        MDC.put("run", "1f2e3d4c-0000-0000-0000-000000000000");
        MDC.put("stage", "receive_magic");

        String stock = format(StockLine.LOGGER, Level.INFO, StockLine.PROCEEDING.text());
        String ours = format("org.sstorchestrator.states.joiner.ReceiveMagic", Level.INFO, "Donor position x");

        assertTrue(stock.matches("WSREP_SST: \\[INFO] Proceeding with SST \\(\\d{8} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\)\n"), stock);
        assertTrue(ours.startsWith("WSREP_SST: [INFO] joiner 1f2e3d4c/receive_magic: Donor position x ("), ours);
    }

    @Test
    void aStockErrorLineIsAtItsLevel() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SstLogFormat.install(new PrintStream(err, true, StandardCharsets.UTF_8), false);
        MDC.put("role", "donor");
        MDC.put("run", "abcdef01-0000-0000-0000-000000000000");

        StockLine.SPECIAL_DIRS.log();
        StockLine.ARCHIVE_NOT_WRITABLE.logWith(": because", "/tmp/a");

        String out = err.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("WSREP_SST: [ERROR] sst-special-dirs equal to 0 is not supported, falling back to 1 ("), out);
        assertTrue(out.contains("WSREP_SST: [WARNING] The '/tmp/a' directory is not writtable: because ("), out);
    }

    /** Issue 18 item 6: one log record is one line of mysqld's error log, whatever text from the peer it quotes. */
    @Test
    void aPeersNewlineOrEscapeInAMessageStaysOnTheLineEscaped() {
        LogRecord r = new LogRecord(Level.INFO, "TLS peer {0}");
        r.setParameters(new Object[] {"CN=donor\nWSREP_SST: [INFO] forged line\u001b[2J"});
        String line = new SstLogFormat().format(r);
        assertTrue(line.lines().count() == 1, line);
        assertTrue(line.startsWith("WSREP_SST: [INFO] TLS peer CN=donor\\x0aWSREP_SST: [INFO] forged line\\x1b[2J ("), line);
    }
}
