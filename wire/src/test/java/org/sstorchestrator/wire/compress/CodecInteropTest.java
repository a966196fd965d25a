package org.sstorchestrator.wire.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10: what our in-process codecs write, the real tools read, and what the real tools
 * write, we read (a stock script on the other node runs them). The tools are process-boundary
 * tools, installed by scripts/install-deps.
 */
public class CodecInteropTest {

    /** 6 MiB: several lz4 blocks and parallel gzip members; half text-like, half random. */
    static final byte[] DATA = sample(6 << 20);

    public static byte[] sample(int size) {
        byte[] b = new byte[size];
        Random r = new Random(10);
        for (int i = 0; i < size / 2; i++) {
            b[i] = (byte) ("INSERT INTO t VALUES (".charAt(i % 22) + (i / 4096) % 7);
        }
        byte[] noise = new byte[size - size / 2];
        r.nextBytes(noise);
        System.arraycopy(noise, 0, b, size / 2, noise.length);
        return b;
    }

    /** codec, the tool's command to decompress, the tool's command to compress. */
    static Stream<Arguments> codecs() {
        return Stream.of(
                Arguments.of(new Codec.Zstd(3, 0), List.of("zstd", "-d", "-c", "-q"), List.of("zstd", "-3", "-c", "-q")),
                Arguments.of(new Codec.Zstd(1, 2), List.of("zstd", "-d", "-c", "-q"), List.of("zstd", "-T2", "-1", "-c", "-q")),
                Arguments.of(new Codec.Zstd(19, 0), List.of("zstd", "-d", "-c", "-q"), List.of("zstd", "--fast=3", "-c", "-q")),
                Arguments.of(new Codec.Lz4(1, 7, true, false), List.of("lz4", "-d", "-c", "-q"), List.of("lz4", "-c", "-q")),
                Arguments.of(new Codec.Lz4(9, 4, false, true), List.of("lz4", "-d", "-c", "-q"),
                        List.of("lz4", "-9", "-B4", "-BX", "-c", "-q")),
                Arguments.of(new Codec.Gzip(6, 1), List.of("gzip", "-d", "-c"), List.of("gzip", "-c")),
                Arguments.of(new Codec.Gzip(1, 1), List.of("pigz", "-d", "-c"), List.of("pigz", "-1", "-c")),
                Arguments.of(new Codec.Gzip(6, 3), List.of("gzip", "-d", "-c"), List.of("pigz", "-p", "2", "-c")),
                Arguments.of(new Codec.Gzip(6, 2), List.of("pigz", "-d", "-c"), List.of("gzip", "-9", "-c")));
    }

    @ParameterizedTest(name = "{0}: the real {1} reads what we write")
    @MethodSource("codecs")
    void theRealToolReadsWhatWeWrite(Codec codec, List<String> toolDecompress, List<String> unused) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (OutputStream out = codec.compressing(wire)) {
            writeInPieces(out, DATA);
        }
        assertArrayEquals(DATA, tool(toolDecompress, wire.toByteArray()), codec.describe() + " → " + toolDecompress);
    }

    @ParameterizedTest(name = "{0}: we read what the real {2} writes")
    @MethodSource("codecs")
    void weReadWhatTheRealToolWrites(Codec codec, List<String> unused, List<String> toolCompress) throws Exception {
        byte[] wire = tool(toolCompress, DATA);
        // as off a socket: short reads, and nothing "available" between them
        assertArrayEquals(DATA, readAll(codec.decompressing(new Trickle(wire, 1500))), toolCompress + " → " + codec.describe());
    }

    @ParameterizedTest(name = "{0}: several frames one after the other are one stream, as the tool reads them")
    @MethodSource("codecs")
    void concatenatedFramesOfTheToolAreOneStream(Codec codec, List<String> unused, List<String> toolCompress) throws Exception {
        byte[] first = java.util.Arrays.copyOfRange(DATA, 0, 1 << 20);
        byte[] second = java.util.Arrays.copyOfRange(DATA, 4 << 20, 5 << 20);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(tool(toolCompress, first));
        both.write(tool(toolCompress, second));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(first);
        expected.write(second);
        assertArrayEquals(expected.toByteArray(), readAll(codec.decompressing(new Trickle(both.toByteArray(), 777))));
    }

    @ParameterizedTest(name = "{0}: a stream cut short is an error, never a short file")
    @MethodSource("codecs")
    void aTruncatedStreamIsAnErrorNotAShortFile(Codec codec, List<String> unused, List<String> toolCompress) throws Exception {
        byte[] wire = tool(toolCompress, DATA);
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 7);
        assertThrows(IOException.class, () -> readAll(codec.decompressing(new Trickle(cut, 4096))));
    }

    @ParameterizedTest(name = "{0}: a corrupt stream is an error")
    @MethodSource("codecs")
    void aCorruptStreamIsAnError(Codec codec, List<String> unused, List<String> toolCompress) throws Exception {
        byte[] wire = tool(toolCompress, DATA);
        for (int i = wire.length / 3; i < wire.length / 3 + 64; i++) {
            wire[i] ^= 0x5a;
        }
        assertThrows(IOException.class, () -> readAll(codec.decompressing(new ByteArrayInputStream(wire))));
    }

    private static void writeInPieces(OutputStream out, byte[] data) throws IOException {
        Random r = new Random(1);
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, 1 + r.nextInt(1 << 18));
            out.write(data, at, n);
            at += n;
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** Runs a real tool as a filter (stdin → stdout), skipping the test when it is not installed. */
    static byte[] tool(List<String> argv, byte[] input) throws Exception {
        assumeTrue(onPath(argv.get(0)), argv.get(0) + " is not installed (scripts/install-deps installs it)");
        Path in = Files.createTempFile("codec-in", ".bin");
        Path out = Files.createTempFile("codec-out", ".bin");
        try {
            Files.write(in, input);
            Process p = new ProcessBuilder(argv).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), argv + " did not finish");
            assertTrue(p.exitValue() == 0, argv + " exited with " + p.exitValue());
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** A socket-like stream: reads of at most {@code step} bytes, and available() always 0. */
    public static final class Trickle extends InputStream {
        private final byte[] data;
        private final int step;
        private int at;

        public Trickle(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read() {
            return at < data.length ? data[at++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, step), data.length - at);
            System.arraycopy(data, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public int available() {
            return 0;
        }
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
