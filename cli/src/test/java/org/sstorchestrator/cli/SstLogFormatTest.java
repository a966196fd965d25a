package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Issue 18 item 6: one log record is one line of mysqld's error log, whatever text from the peer it quotes. */
class SstLogFormatTest {

    @Test
    void aPeersNewlineOrEscapeInAMessageStaysOnTheLineEscaped() {
        LogRecord r = new LogRecord(Level.INFO, "TLS peer {0}");
        r.setParameters(new Object[] {"CN=donor\nWSREP_SST: [INFO] forged line\u001b[2J"});
        String line = new SstLogFormat().format(r);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("WSREP_SST: [INFO] TLS peer CN=donor\\x0aWSREP_SST: [INFO] forged line\\x1b[2J ("), line);
    }
}
