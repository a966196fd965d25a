package org.sstorchestrator.states.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * The in-process extractor against the real {@code mbstream -x} (a tool at the process
 * boundary): the same stream gives the same tree, chunk by chunk as 10.11 backups send them
 * (payload, end, seek, rename, delete, rewrite), holes included for page-compressed
 * tablespaces; and a hostile stream writes nothing outside its target.
 */
class MbstreamExtractorTest {

    private static final Path MBSTREAM = Path.of("/usr/bin/mbstream");

    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Path extractOurs(Path dir, byte[] stream, int step) throws Exception {
        Files.createDirectories(dir);
        try (MbstreamExtractor x = new MbstreamExtractor(dir)) {
            OutputStream out = x.stream();
            for (int i = 0; i < stream.length; i += step) {
                out.write(stream, i, Math.min(step, stream.length - i));
            }
            x.finish();
        }
        return dir;
    }

    private static Path extractTheirs(Path dir, byte[] stream) throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(MBSTREAM.toString(), "-x").directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stream);
        }
        assertEquals(0, p.waitFor());
        return dir;
    }

    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(q -> !q.equals(root)).toList()) {
                String rel = root.relativize(p).toString();
                out.put(rel, Files.isDirectory(p) ? "<dir>" : Files.size(p) + ":" + java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    /** What a 10.11 backup sends when DDL ran on MyISAM/Aria tables and the Aria log rotated during it. */
    private static byte[] realisticStream() throws Exception {
        byte[] big = new byte[3 << 20];
        new java.util.Random(7).nextBytes(big);
        return ForgedChunks.concat(
                ForgedChunks.file("ibdata1", "system tablespace"),
                ForgedChunks.payload("db/t.ibd", 0, big.length, 0, big), ForgedChunks.end("db/t.ibd"),
                ForgedChunks.file("db/t.frm", "frm"),
                ForgedChunks.end("mysql/slow_log.CSV"), // an empty file: an end alone
                ForgedChunks.payload("aria_log.00000001", 0, 100, 0, bytes("a".repeat(100))),
                ForgedChunks.chunk('S', 0, "aria_log.00000001", ForgedChunks.seekTo(37)),
                ForgedChunks.payload("aria_log.00000001", 0, 7, 37, bytes("patched")),
                ForgedChunks.end("aria_log.00000001"),
                ForgedChunks.file("shop/r_1.frm", "old"),
                ForgedChunks.chunk('R', 0, "shop/r_1.frm", ForgedChunks.renameTo("shop/r_2.frm")),
                ForgedChunks.file("shop/gone.MYD", "dropped during the backup"),
                ForgedChunks.chunk('D', 0, "shop/gone.MYD", new byte[0]),
                ForgedChunks.file("olddb/x.MYD", "a dropped database"),
                ForgedChunks.chunk('D', 0, "olddb", new byte[0]),
                ForgedChunks.file("shop/ar.MAD", "first copy"),
                // copied again after DDL, flagged to be rewritten
                ForgedChunks.payload("shop/ar.MAD", MbstreamParser.FLAG_REWRITE, 6, 0, bytes("second")),
                ForgedChunks.end("shop/ar.MAD"),
                ForgedChunks.chunk('R', 0, "shop/never_copied.frm", ForgedChunks.renameTo("shop/x.frm")),
                ForgedChunks.file("xtrabackup_checkpoints", "backup_type = full-backuped\n"));
    }

    @Test
    void aStreamOfEveryChunkTypeGivesTheTreeTheRealMbstreamGivesInAnyChunking() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MBSTREAM), "mbstream is installed by .ci/run");
        byte[] s = realisticStream();
        Map<String, String> theirs = tree(extractTheirs(tmp.resolve("theirs"), s));
        for (int step : new int[] {1, 13, 4096, 1 << 20, s.length}) {
            assertEquals(theirs, tree(extractOurs(tmp.resolve("ours-" + step), s, step)), "chunked by " + step);
        }
        assertTrue(theirs.containsKey("shop/r_2.frm") && !theirs.containsKey("olddb"), theirs.toString());
    }

    @Test
    void aPageCompressedTablespaceGetsTheHolesMbstreamPunchesAndTheSameBytes() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MBSTREAM), "mbstream is installed by .ci/run");
        int page = 16384;
        byte[] ibd = new byte[64 * page];
        ibd[54 + 1] = 0x01; // FSP flags: PAGE_COMPRESSION (bit 16), page size bits 0 → 16 KiB
        for (int p = 0; p < 64; p++) {
            for (int i = 64; i < 900; i++) {
                ibd[p * page + i] = (byte) (p + i); // a little data at the head of each page, zeros after
            }
        }
        byte[] s = ForgedChunks.concat(ForgedChunks.payload("db/c.ibd", 0, ibd.length, 0, ibd), ForgedChunks.end("db/c.ibd"));
        Path theirs = extractTheirs(tmp.resolve("theirs"), s).resolve("db/c.ibd");
        Path ours = extractOurs(tmp.resolve("ours"), s, 1 << 20).resolve("db/c.ibd");
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours));
        long ourBlocks = allocated(ours);
        assertTrue(ourBlocks <= allocated(theirs) + 64 * 1024, "ours takes " + ourBlocks + " bytes, mbstream " + allocated(theirs));
        assertTrue(ourBlocks <= 64 * 4096, "one 4 KiB block a page, the rest holes: " + ourBlocks + " of " + ibd.length);
    }

    private static long allocated(Path p) throws Exception {
        Process du = new ProcessBuilder("du", "--block-size=1", p.toString()).start();
        String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        du.waitFor();
        return Long.parseLong(out.split("\\s+")[0]);
    }

    static Stream<byte[]> hostile() throws Exception {
        return Stream.of(
                ForgedChunks.payload("../escaped", "x"),
                ForgedChunks.chunk('R', 0, "db/t.frm", ForgedChunks.renameTo("../escaped")),
                ForgedChunks.chunk('D', 0, "../victim", new byte[0]),
                ForgedChunks.concat(ForgedChunks.file("a", "1"), ForgedChunks.file("a", "2")), // twice, no rewrite flag
                ForgedChunks.concat(ForgedChunks.payload("a", "1"), ForgedChunks.payload("a", 0, 1, 5, bytes("2"))),
                ForgedChunks.concat(ForgedChunks.payload("a", "1"), ForgedChunks.chunk('R', 0, "a", ForgedChunks.renameTo("b"))),
                ForgedChunks.concat(ForgedChunks.payload("db/a", "1"), ForgedChunks.chunk('D', 0, "db", new byte[0])),
                // issue 18: a wildcard delete of a directory that holds a file still being written
                ForgedChunks.concat(ForgedChunks.payload("db/a", "1"), ForgedChunks.chunk('D', 0, "d*", new byte[0])),
                // issue 18: a seek far past the file's end (a 1 TiB sparse file, written there)
                ForgedChunks.concat(ForgedChunks.payload("a", "1"), ForgedChunks.chunk('S', 0, "a", ForgedChunks.seekTo(1L << 40)),
                        ForgedChunks.payload("a", 0, 1, 1L << 40, bytes("x"))));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void aHostileStreamFailsWith32AndWritesNothingOutsideItsTarget(byte[] stream) throws Exception {
        Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
        Path victim = Files.writeString(sandbox.resolve("victim"), "must survive");
        Path target = Files.createDirectories(sandbox.resolve("target"));
        SstException e = assertThrows(SstException.class, () -> extractOurs(target, stream, 7));
        assertEquals(ExitCode.EPIPE, e.code());
        try (Stream<Path> all = Files.list(sandbox)) {
            assertEquals(java.util.Set.of(victim, target), java.util.Set.copyOf(all.toList()), "nothing outside the target");
        }
        assertEquals("must survive", Files.readString(victim));
    }

    @Test
    void aLinkPlantedInTheTargetIsNeverWrittenThrough() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("target"));
        Path outside = Files.writeString(tmp.resolve("outside"), "must survive");
        Files.createSymbolicLink(target.resolve("ibdata1"), outside);
        Files.createSymbolicLink(target.resolve("db"), tmp);
        assertThrows(SstException.class, () -> extractOurs(target, ForgedChunks.file("ibdata1", "evil"), 64));
        assertThrows(SstException.class, () -> extractOurs(target, ForgedChunks.file("db/t.ibd", "evil"), 64));
        assertEquals("must survive", Files.readString(outside));
        assertFalse(Files.exists(tmp.resolve("t.ibd")));
    }

    @Test
    void aFileThatCannotBeCreatedFailsTheStreamWhereMbstreamWouldExitZero() throws Exception {
        // mbstream -x logs "failed to create file" here and still exits 0; the guard used to be all that noticed
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.createDirectories(target.resolve("ibdata1"));
        SstException e = assertThrows(SstException.class,
                () -> extractOurs(target, ForgedChunks.file("ibdata1", "system tablespace"), 64));
        assertTrue(e.getMessage().contains("ibdata1"), e.getMessage());
    }
}
