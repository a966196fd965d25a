package org.sstorchestrator.states.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.wire.WireException;
import org.sstorchestrator.wire.compress.ChildFilterLayer;
import org.sstorchestrator.wire.compress.Codec;
import org.sstorchestrator.wire.compress.CodecInteropTest;

/**
 * Issue 10: a compressor we do not build in runs as an argv child; every way it can fail ends
 * the transfer with 32 naming it, its exit code and its stderr, and is recorded (the child
 * listener sees its exit code). Stand-ins at the process boundary play the failing tools.
 */
class ChildFilterLayerTest {

    @TempDir
    Path dir;

    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final ChildProcesses children = new ChildProcesses((c, code, s, e) -> recorded.add(c.name() + " " + code),
            new Abort());

    private ChildFilterLayer layer(boolean compress, Duration idle, String... argv) {
        Command c = Command.of(Path.of(argv[0]), List.of(argv).subList(1, argv.length)).withLog(dir.resolve("filter.log"))
                .inDirectory(dir);
        return new ChildFilterLayer(compress ? "[sst] compressor" : "[sst] decompressor", new ChildFilter(c, children), idle,
                compress);
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        p.toFile().setExecutable(true);
        return p;
    }

    private static String tool(String name) {
        for (String d : List.of("/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return d + "/" + name;
            }
        }
        // scripts/install-deps installs zstd; a tool missing here is a broken set-up, not a reason to skip
        throw new AssertionError(name + " is not installed in /usr/bin or /bin (scripts/install-deps installs it)");
    }

    @Test
    void anExternalCompressorAndDecompressorCarryTheStreamAndTheirExitCodesAreRecorded() throws Exception {
        byte[] data = CodecInteropTest.sample(3 << 20);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (OutputStream out = layer(true, Duration.ofSeconds(30), tool("zstd"), "-3", "-c", "-q").sending(wire)) {
            out.write(data);
        }
        assertArrayEquals(data, new Codec.Zstd(3, 0).decompressing(new ByteArrayInputStream(wire.toByteArray())).readAllBytes());
        byte[] back;
        try (InputStream in = layer(false, Duration.ofSeconds(30), tool("zstd"), "-d", "-c", "-q")
                .receiving(new CodecInteropTest.Trickle(wire.toByteArray(), 999))) {
            back = in.readAllBytes();
        }
        assertArrayEquals(data, back);
        assertEquals(List.of("zstd 0", "zstd 0"), recorded);
    }

    @Test
    void aCompressorThatExitsNonZeroFailsTheTransferNamingItsCodeAndStderr() throws Exception {
        Path bad = script("bad-compressor", "head -c 100000 >/dev/null; echo 'bad-compressor: out of memory' >&2; exit 3");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        OutputStream out = layer(true, Duration.ofSeconds(30), bad.toString()).sending(wire);
        WireException e = assertThrows(WireException.class, () -> {
            for (int i = 0; i < 100; i++) {
                out.write(new byte[1 << 16]);
            }
            out.close();
        });
        assertEquals(WireException.Kind.BROKEN_LINK, e.kind());
        assertTrue(e.getMessage().contains("[sst] compressor '" + bad + "' exited with code 3")
                && e.getMessage().contains("bad-compressor: out of memory"), e.getMessage());
        assertEquals(List.of("bad-compressor 3"), recorded);
    }

    @Test
    void aCompressorThatFailsOnlyAtTheEndIsCaughtToo() throws Exception {
        Path bad = script("late-failure", "cat; exit 5");
        OutputStream out = layer(true, Duration.ofSeconds(30), bad.toString()).sending(new ByteArrayOutputStream());
        out.write(new byte[1000]);
        WireException e = assertThrows(WireException.class, out::close);
        assertTrue(e.getMessage().contains("exited with code 5 after 1000 bytes"), e.getMessage());
    }

    @Test
    void aCompressorKilledBySignalIsNamedAsSuch() throws Exception {
        Path killed = script("killed", "head -c 1000 >/dev/null; kill -9 $$");
        OutputStream out = layer(true, Duration.ofSeconds(30), killed.toString()).sending(new ByteArrayOutputStream());
        WireException e = assertThrows(WireException.class, () -> {
            for (int i = 0; i < 100; i++) {
                out.write(new byte[1 << 16]);
            }
            out.close();
        });
        assertTrue(e.getMessage().contains("was killed by signal 9"), e.getMessage());
    }

    @Test
    void aCompressorThatHangsAtTheEndIsKilledAfterTheIdleTimeout() throws Exception {
        Path hang = script("hangs", "cat >/dev/null; sleep 600");
        OutputStream out = layer(true, Duration.ofSeconds(1), hang.toString()).sending(new ByteArrayOutputStream());
        out.write(new byte[1000]);
        long started = System.nanoTime();
        WireException e = assertThrows(WireException.class, out::close);
        assertTrue((System.nanoTime() - started) / 1e9 < 15, "bounded by the idle timeout");
        assertTrue(e.getMessage().contains("killed by signal 9"), e.getMessage());
    }

    @Test
    void aCorruptStreamMakesTheDecompressorFailTheTransferWithItsOwnMessage() throws Exception {
        byte[] garbage = CodecInteropTest.sample(1 << 20);
        InputStream in = layer(false, Duration.ofSeconds(30), tool("zstd"), "-d", "-c").receiving(new ByteArrayInputStream(garbage));
        WireException e = assertThrows(WireException.class, in::readAllBytes);
        assertEquals(WireException.Kind.BROKEN_LINK, e.kind());
        assertTrue(e.getMessage().contains("[sst] decompressor '" + tool("zstd") + " -d -c' exited with code 1")
                && e.getMessage().contains("its stderr: "), e.getMessage());
    }

    @Test
    void aDecompressorThatStopsReadingEarlyIsNeverTakenForTheWholeStream() throws Exception {
        InputStream in = layer(false, Duration.ofSeconds(30), tool("head"), "-c", "10")
                .receiving(new ByteArrayInputStream(new byte[4 << 20]));
        WireException e = assertThrows(WireException.class, in::readAllBytes);
        assertTrue(e.getMessage().contains("before it had read the donor's whole stream"), e.getMessage());
    }

    @Test
    void whenTheDonorsConnectionBreaksTheNetworksErrorIsReportedAndTheDecompressorStopped() throws Exception {
        IOException reset = new IOException("Connection reset");
        InputStream broken = new InputStream() {
            private int reads;

            @Override
            public int read() throws IOException {
                return read(new byte[1], 0, 1);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (reads++ < 3) {
                    return Math.min(len, 1000); // zeros: cat passes them on
                }
                throw reset;
            }
        };
        InputStream in = layer(false, Duration.ofSeconds(30), tool("cat")).receiving(broken);
        IOException e = assertThrows(IOException.class, in::readAllBytes);
        assertSame(reset, e);
        assertTrue(recorded.get(0).startsWith("cat "), "the stopped child is recorded: " + recorded);
    }
}
