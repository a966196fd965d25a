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

    /** One payload chunk as raw bytes, with whatever length field the test wants (an attacker's). */
    private static byte[] rawChunk(String path, long claimedLength, byte[] payload) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[Mbstream.HEADER + name.length + Mbstream.PAYLOAD_HEADER + payload.length];
        System.arraycopy(Mbstream.MAGIC, 0, out, 0, Mbstream.MAGIC.length);
        out[9] = Mbstream.PAYLOAD;
        Mbstream.putU32(out, 10, name.length);
        System.arraycopy(name, 0, out, Mbstream.HEADER, name.length);
        int p = Mbstream.HEADER + name.length;
        Mbstream.putU64(out, p, claimedLength);
        Mbstream.putU64(out, p + 8, 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(payload);
        Mbstream.putU32(out, p + 16, crc.getValue());
        System.arraycopy(payload, 0, out, p + Mbstream.PAYLOAD_HEADER, payload.length);
        return out;
    }

    /** Issue 6 item 5: a length of 2^63 read as negative once disabled transfer 1's 1 MiB cap. */
    @org.junit.jupiter.params.ParameterizedTest(name = "claimed length {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {Long.MIN_VALUE, -1L, (1L << 20) + 1, Long.MAX_VALUE})
    void transferOneRefusesAChunkLengthBeyondItsCapAsACorruptStreamNamingTheChunk(long claimed) {
        byte[] s = rawChunk("xtrabackup_galera_info", claimed, new byte[0]);
        SstException e = assertThrows(SstException.class, () -> MbstreamReader.readAll(new ByteArrayInputStream(s)));
        assertEquals(ExitCode.EPIPE, e.code());
        assertTrue(e.getMessage().contains("xtrabackup_galera_info"), e.getMessage());
    }

    @Test
    void transferOneRefusesChunksThatTogetherPassTheCap() throws Exception {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        byte[] half = new byte[(1 << 19) + 1];
        s.write(rawChunk("a", half.length, half));
        byte[] second = rawChunk("a", half.length, half);
        Mbstream.putU64(second, Mbstream.HEADER + 1 + 8, half.length); // offset: where the first chunk ended
        s.write(second);
        SstException e = assertThrows(SstException.class, () -> MbstreamReader.readAll(new ByteArrayInputStream(s.toByteArray())));
        assertEquals(ExitCode.EPIPE, e.code());
    }

    @Test
    void theGuardRefusesAChunkClaimingANegativeLength() {
        MbstreamGuard g = new MbstreamGuard(OutputStream.nullOutputStream());
        SstException e = assertThrows(SstException.class, () -> g.write(rawChunk("db/t.ibd", -1L, new byte[0])));
        assertEquals(ExitCode.EPIPE, e.code());
    }

    /** A chunk of any type with a raw trailer (seek offset, rename target), as an attacker or 10.11 writes it. */
    private static byte[] chunk(char type, int flags, String path, byte[] trailer) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[Mbstream.HEADER + name.length + trailer.length];
        System.arraycopy(Mbstream.MAGIC, 0, out, 0, Mbstream.MAGIC.length);
        out[8] = (byte) flags;
        out[9] = (byte) type;
        Mbstream.putU32(out, 10, name.length);
        System.arraycopy(name, 0, out, Mbstream.HEADER, name.length);
        System.arraycopy(trailer, 0, out, Mbstream.HEADER + name.length, trailer.length);
        return out;
    }

    private static byte[] renameTo(String to) {
        byte[] name = to.getBytes(StandardCharsets.UTF_8);
        byte[] t = new byte[4 + name.length];
        Mbstream.putU32(t, 0, name.length);
        System.arraycopy(name, 0, t, 4, name.length);
        return t;
    }

    private static byte[] seekTo(long offset) {
        byte[] t = new byte[8];
        Mbstream.putU64(t, 0, offset);
        return t;
    }

    private static byte[] concat(byte[]... parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return out.toByteArray();
    }

    /** What a 10.11 backup carries when DDL or an Aria log rotation ran during it (seen in real backups). */
    @Test
    void theGuardPassesSeekRenameDeleteAndRewriteChunksOfARealBackup() throws Exception {
        byte[] aria = stream("aria_log.00000001", "x".repeat(100));
        byte[] s = concat(rawChunk("aria_log.00000002", 50, "y".repeat(50).getBytes(StandardCharsets.UTF_8)),
                chunk('S', 0, "aria_log.00000002", seekTo(37)),
                rawChunkAt("aria_log.00000002", 0, 37, "patched".getBytes(StandardCharsets.UTF_8)),
                chunk('E', 0, "aria_log.00000002", new byte[0]),
                chunk('R', 0, "shop/r_1.frm", renameTo("shop/r_2.frm")),
                chunk('D', 0, "shop/t#P#*", new byte[0]),
                chunk('D', 0, "olddb", new byte[0]),
                aria);
        for (int step : new int[] {1, 5, s.length}) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            MbstreamGuard g = new MbstreamGuard(sink);
            for (int i = 0; i < s.length; i += step) {
                g.write(s, i, Math.min(step, s.length - i));
            }
            g.finish();
            assertArrayEquals(s, sink.toByteArray());
            assertEquals(2, g.files());
        }
    }

    /** mbstream -x checks neither name of a rename nor the path of a delete (reproduced): we do. */
    @Test
    void renameAndDeletePathsThatEscapeTheTargetAreRefused() {
        for (byte[] hostile : new byte[][] {chunk('R', 0, "db/t.frm", renameTo("../../etc/cron.d/x")),
                chunk('R', 0, "../outside", renameTo("db/t.frm")), chunk('R', 0, "db/t.frm", renameTo("/abs")),
                chunk('D', 0, "../victim", new byte[0]), chunk('D', 0, "..", new byte[0]),
                chunk('D', 0, "/var/lib/mysql", new byte[0]), chunk('D', 0, "db/../../*", new byte[0])}) {
            MbstreamGuard g = new MbstreamGuard(OutputStream.nullOutputStream());
            SstException e = assertThrows(SstException.class, () -> g.write(hostile));
            assertTrue(e.getMessage().contains("escapes"), e.getMessage());
        }
    }

    @Test
    void ignorableAndUnknownChunkTypesAreRefusedNotWrittenAsData() {
        for (byte[] hostile : new byte[][] {chunk('Z', 1, "db/t.ibd", new byte[20]), chunk('Z', 0, "db/t.ibd", new byte[20])}) {
            MbstreamGuard g = new MbstreamGuard(OutputStream.nullOutputStream());
            SstException e = assertThrows(SstException.class, () -> g.write(hostile));
            assertTrue(e.getMessage().contains("unknown type"), e.getMessage());
        }
    }

    @Test
    void theGuardTellsWhenMbstreamLeftAFileOutThatTheStreamCarriedWhole() throws Exception {
        MbstreamGuard g = new MbstreamGuard(OutputStream.nullOutputStream());
        g.write(stream("db/t1.ibd", "x".repeat(100), "empty", ""));
        g.finish();
        Files.createDirectories(tmp.resolve("db"));
        Files.writeString(tmp.resolve("db/t1.ibd"), "x".repeat(100));
        SstException e = assertThrows(SstException.class, () -> g.verify(tmp));
        assertTrue(e.getMessage().contains("left no file empty"), e.getMessage());
        Files.writeString(tmp.resolve("empty"), "");
        g.verify(tmp);
        Files.writeString(tmp.resolve("db/t1.ibd"), "x".repeat(10));
        assertThrows(SstException.class, () -> g.verify(tmp));
    }

    private static byte[] rawChunkAt(String path, int flags, long offset, byte[] payload) {
        byte[] c = rawChunk(path, payload.length, payload);
        c[8] = (byte) flags;
        Mbstream.putU64(c, Mbstream.HEADER + path.length() + 8, offset);
        return c;
    }
}
