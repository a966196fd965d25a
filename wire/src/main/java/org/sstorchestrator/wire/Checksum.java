package org.sstorchestrator.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The CRC32 of the bytes a transfer carries where it sits in the chain, Okio's hashing sink and
 * source: told to {@code report} when the data's stream ends (the sender's finish, the
 * receiver's close), so both ends of a transfer can say the same figure.
 */
public final class Checksum implements StreamLayer {

    private final LongConsumer report;

    private Checksum(LongConsumer report) {
        this.report = report;
    }

    public static Checksum crc32(LongConsumer report) {
        return new Checksum(report);
    }

    @Override
    public String name() {
        return "crc32";
    }

    @Override
    public OutputStream sending(OutputStream below) {
        return new CheckedOutputStream(below, new CRC32()) {
            @Override
            public void close() throws IOException {
                report.accept(getChecksum().getValue());
                super.close();
            }
        };
    }

    @Override
    public InputStream receiving(InputStream below) {
        return new CheckedInputStream(below, new CRC32()) {
            @Override
            public void close() throws IOException {
                report.accept(getChecksum().getValue());
                super.close();
            }
        };
    }
}
