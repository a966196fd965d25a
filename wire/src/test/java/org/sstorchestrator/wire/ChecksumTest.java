package org.sstorchestrator.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The checksum layer passes the bytes through unchanged and reports their CRC32 when the stream ends, both ways. */
class ChecksumTest {

    private static final byte[] DATA = "an mbstream, say".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    @Test
    void senderReportsTheCrcOfWhatItWroteWhenItFinishes() throws Exception {
        AtomicLong reported = new AtomicLong(-1);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (OutputStream out = Checksum.crc32(reported::set).sending(wire)) {
            out.write(DATA, 0, 100);
            out.write(DATA, 100, DATA.length - 100);
            assertEquals(-1, reported.get());
        }
        assertArrayEquals(DATA, wire.toByteArray());
        assertEquals(crc(DATA), reported.get());
    }

    @Test
    void receiverReportsTheCrcOfWhatItReadWhenItCloses() throws Exception {
        AtomicLong reported = new AtomicLong(-1);
        byte[] read;
        try (InputStream in = Checksum.crc32(reported::set).receiving(new ByteArrayInputStream(DATA))) {
            read = in.readAllBytes();
        }
        assertArrayEquals(DATA, read);
        assertEquals(crc(DATA), reported.get());
    }
}
