package org.sstorchestrator.states.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.wire.MbstreamReader;
import org.sstorchestrator.states.wire.MbstreamWriter;
import org.sstorchestrator.wire.compress.Codec;
import org.sstorchestrator.wire.compress.CodecInteropTest;
import org.sstorchestrator.wire.compress.CompressionLayer;

/**
 * Issue 10: when the two nodes' compression settings disagree, the message says how, from
 * what the stream starts with; a socket's own failure under the decoder is reported as itself.
 */
class CompressionLayerTest {

    private static byte[] compressed(Codec codec, byte[] data) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (OutputStream out = CompressionLayer.compressing(codec, "[sst] compressor").sending(wire)) {
            out.write(data);
        }
        return wire.toByteArray();
    }

    private static InputStream joiner(Codec codec, InputStream wire) throws IOException {
        return CompressionLayer.decompressing(codec, "[sst] decompressor").receiving(wire);
    }

    @Test
    void theLayersCarryTheStreamOneWayAndLeaveTheOtherAlone() throws IOException {
        byte[] data = CodecInteropTest.sample(1 << 20);
        byte[] wire = compressed(new Codec.Zstd(3, 0), data);
        assertArrayEquals(data, joiner(new Codec.Zstd(3, 0), new ByteArrayInputStream(wire)).readAllBytes());
        InputStream untouched = new ByteArrayInputStream(wire);
        assertSame(untouched, CompressionLayer.compressing(new Codec.Zstd(3, 0), "x").receiving(untouched));
    }

    @Test
    void aJoinerThatDecompressesWhatTheDonorSentPlainSaysTheDonorDoesNotCompress() throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        new MbstreamWriter(plain).file("xtrabackup_galera_info", "u:1 0\n".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class,
                () -> joiner(new Codec.Zstd(3, 0), new ByteArrayInputStream(plain.toByteArray())).readAllBytes());
        assertTrue(e.getMessage().contains("not valid zstd data") && e.getMessage().contains("uncompressed mbstream")
                && e.getMessage().contains("remove [sst] decompressor"), e.getMessage());
    }

    @Test
    void aJoinerThatExpectsZstdWhereTheDonorSendsLz4SaysWhatItSees() throws IOException {
        byte[] lz4 = compressed(new Codec.Lz4(1, 7, true, false), CodecInteropTest.sample(1 << 16));
        IOException e = assertThrows(IOException.class, () -> joiner(new Codec.Zstd(3, 0), new ByteArrayInputStream(lz4))
                .readAllBytes());
        assertTrue(e.getMessage().contains("it starts like lz4 data"), e.getMessage());
    }

    @Test
    void aJoinerWithoutADecompressorSaysTheDonorCompresses() throws IOException {
        byte[] zstd = compressed(new Codec.Zstd(3, 0), CodecInteropTest.sample(1 << 16));
        SstException e = assertThrows(SstException.class, () -> MbstreamReader.readAll(new ByteArrayInputStream(zstd)));
        assertTrue(e.getMessage().contains("it starts like zstd data") && e.getMessage().contains("set [sst] decompressor"),
                e.getMessage());
    }

    @Test
    void theSocketsOwnFailureUnderTheDecoderIsReportedAsItself() throws IOException {
        byte[] wire = compressed(new Codec.Gzip(6, 1), CodecInteropTest.sample(4 << 20));
        IOException reset = new IOException("Connection reset");
        InputStream socket = new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (at > wire.length / 2) {
                    throw reset;
                }
                int n = Math.min(len, 4096);
                System.arraycopy(wire, at, b, off, n);
                at += n;
                return n;
            }
        };
        IOException e = assertThrows(IOException.class, () -> joiner(new Codec.Gzip(6, 1), socket).readAllBytes());
        assertSame(reset, e);
    }
}
