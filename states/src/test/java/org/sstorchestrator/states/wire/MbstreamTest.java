package org.sstorchestrator.states.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

class MbstreamTest {

    @TempDir
    Path tmp;

    private static byte[] stream(String... pathAndContent) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MbstreamWriter w = new MbstreamWriter(out);
        for (int i = 0; i < pathAndContent.length; i += 2) {
            w.file(pathAndContent[i], pathAndContent[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void writesTheBytesMbstreamCreateWrites() throws Exception {
        Path real = Path.of("/usr/bin/mbstream");
        Assumptions.assumeTrue(Files.isExecutable(real), "mbstream is installed by .ci/run");
        Files.writeString(tmp.resolve("xtrabackup_galera_info"), "abc:5 0\nsecret x\n");
        Files.writeString(tmp.resolve("donor_galera_info"), "abc:5 0\n");
        Files.writeString(tmp.resolve("emptyf"), "");
        Process p = new ProcessBuilder(real.toString(), "-c", "xtrabackup_galera_info", "donor_galera_info", "emptyf")
                .directory(tmp.toFile()).start();
        byte[] expected = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertArrayEquals(expected, stream("xtrabackup_galera_info", "abc:5 0\nsecret x\n",
                "donor_galera_info", "abc:5 0\n", "emptyf", ""));
    }

    @Test
    void realMbstreamExtractsWhatWeWrite() throws Exception {
        Path real = Path.of("/usr/bin/mbstream");
        Assumptions.assumeTrue(Files.isExecutable(real), "mbstream is installed by .ci/run");
        Process p = new ProcessBuilder(real.toString(), "-x").directory(tmp.toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stream("a_info", "one\n", "b_info", "two\n"));
        }
        assertEquals(0, p.waitFor());
        assertEquals("one\n", Files.readString(tmp.resolve("a_info")));
        assertEquals("two\n", Files.readString(tmp.resolve("b_info")));
    }

    @Test
    void readerRoundTripsAndChecksChecksums() throws Exception {
        byte[] s = stream("x", "hello", "y", "");
        Map<String, byte[]> files = MbstreamReader.readAll(new ByteArrayInputStream(s));
        assertEquals("hello", new String(files.get("x"), StandardCharsets.UTF_8));
        assertEquals(0, files.get("y").length);
        s[s.length - 1 - ("y".length() + Mbstream.HEADER) - 1] ^= 1; // flip a payload byte of x
        assertThrows(SstException.class, () -> MbstreamReader.readAll(new ByteArrayInputStream(s)));
    }

    @Test
    void pathsThatEscapeTheTargetAreRefused() {
        for (String bad : new String[] {"../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "./a", "a\\b", "a\nb"}) {
            SstException e = assertThrows(SstException.class, () -> Mbstream.checkPath(bad), bad);
            assertEquals(ExitCode.EPIPE, e.code());
        }
        assertEquals("db/t.ibd", Mbstream.checkPath("db/t.ibd"));
    }

    @Test
    void guardPassesAValidStreamThroughByteForByteInAnyChunking() throws Exception {
        byte[] s = stream("db/t1.ibd", "x".repeat(5000), "ibdata1", "y".repeat(70), "empty", "");
        for (int step : new int[] {1, 7, 13, 4096, s.length}) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            MbstreamGuard g = new MbstreamGuard(sink);
            for (int i = 0; i < s.length; i += step) {
                g.write(s, i, Math.min(step, s.length - i));
            }
            g.finish();
            assertArrayEquals(s, sink.toByteArray());
            assertEquals(3, g.files());
        }
    }

    @Test
    void guardRefusesATraversalPathBeforeMbstreamSeesIt() throws Exception {
        byte[] good = stream("ok", "1");
        // Our writer refuses such a path too, so forge it: same length, then patch the bytes.
        byte[] evil = stream("xx/xx/xx/xx/tmp/evil", "2");
        String raw = new String(evil, StandardCharsets.ISO_8859_1).replace("xx/xx/xx/xx/", "../../../../");
        evil = raw.getBytes(StandardCharsets.ISO_8859_1);
        byte[] hostile = evil;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        MbstreamGuard g = new MbstreamGuard(sink);
        g.write(good);
        SstException e = assertThrows(SstException.class, () -> g.write(hostile));
        assertTrue(e.getMessage().contains("escapes"), e.getMessage());
    }

    @Test
    void guardTellsATruncatedStreamFromACompleteOne() throws Exception {
        byte[] s = stream("db/t1.ibd", "x".repeat(100));
        MbstreamGuard g = new MbstreamGuard(OutputStream.nullOutputStream());
        g.write(s, 0, s.length - 10);
        SstException e = assertThrows(SstException.class, g::finish);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void guardRefusesGarbage() {
        MbstreamGuard g = new MbstreamGuard(OutputStream.nullOutputStream());
        assertThrows(SstException.class, () -> g.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    }
}
