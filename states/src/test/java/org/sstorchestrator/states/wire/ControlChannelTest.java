package org.sstorchestrator.states.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The lines mysqld reads, each within the buffer mysqld reads it into (issue 8). */
class ControlChannelTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ControlChannel control = new ControlChannel(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    @Test
    void aVerifyModeReadyLineLongerThanADonorLineIsPrintedWhole() {
        // <CN of 64>:<secret of 32>@[IPv6]:port/xtrabackup_sst//1: mysqld reads the joiner's ready into 512 bytes
        String address = "c".repeat(64) + ":" + "0".repeat(32) + "@[fd00:1234:5678:9abc:def0:1234:5678:9abc]:4444/xtrabackup_sst//1";
        control.ready(address);
        assertEquals("ready " + address + "\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aReadyLineBeyondMysqldsBufferIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> control.ready("x".repeat(506)));
    }

    @Test
    void donorLinesStayUnder128Bytes() {
        assertThrows(IllegalArgumentException.class, () -> control.done("x".repeat(123)));
        control.done("x".repeat(122));
        assertEquals(128, bytes.size()); // "done " + 122 + "\n"
    }
}
