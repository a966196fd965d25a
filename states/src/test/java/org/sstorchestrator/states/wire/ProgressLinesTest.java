package org.sstorchestrator.states.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.StreamOptions.Progress;

/** Issue 10: progress=1/file/FIFO, pv-like lines, and a FIFO nobody reads never holds the stream. */
class ProgressLinesTest {

    @Test
    void aLineEveryTenSecondsAndALastOneShapedAsTheStockScriptsPvFormat() throws Exception {
        long[] now = {0};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ProgressLines lines = new ProgressLines(ProgressLines.Sink.of(new PrintStream(err, true, StandardCharsets.UTF_8),
                "test"), "donor", 300L << 20, () -> now[0])) {
            for (int halfSeconds = 1; halfSeconds <= 30; halfSeconds++) { // the copy loop samples twice a second
                now[0] += 500_000_000L;
                lines.sample(halfSeconds * (5L << 20)); // 10 MiB/s
            }
            lines.finish(150L << 20);
        }
        List<String> out = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "    donor: => Rate:[10.0MiB/s] Avg:[10.0MiB/s] Elapsed:0:00:10 ETA 0:00:20 Bytes: 100MiB 33%",
                "    donor: => Rate:[10.0MiB/s] Avg:[10.0MiB/s] Elapsed:0:00:15 ETA 0:00:00 Bytes: 150MiB 50%"), out);
    }

    @Test
    void withoutATotalThereIsNoEtaNorPercentage() {
        ProgressLines lines = new ProgressLines(null, "joiner", null, () -> 2_000_000_000L);
        String l = lines.line(3L << 30, 4_000_000_000L, true);
        assertEquals("   joiner: => Rate:[1.50GiB/s] Avg:[1.50GiB/s] Elapsed:0:00:02 Bytes: 3.00GiB", l);
    }

    @Test
    void aFileIsAppendedToAndARelativePathIsTakenFromTheDatadir(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("progress.log"), "earlier\n");
        try (ProgressLines lines = ProgressLines.open(new Progress(Progress.Kind.FILE, "progress.log"), dir, "joiner", 10L,
                () -> 0L)) {
            lines.finish(10);
        }
        List<String> all = Files.readAllLines(dir.resolve("progress.log"));
        assertEquals("earlier", all.get(0));
        assertTrue(all.get(1).startsWith("   joiner: => ") && all.get(1).endsWith("Bytes: 10B 100%"), all.toString());
    }

    @Test
    void aFifoThatNobodyReadsNeverBlocksTheStream(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("progress.fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS));
        long[] now = {0};
        long started = System.nanoTime();
        ProgressLines lines = ProgressLines.open(new Progress(Progress.Kind.FILE, fifo.toString()), dir, "donor",
                null, () -> now[0]);
        for (int i = 0; i < 5000; i++) { // ~450 KB of lines: far more than a pipe holds
            now[0] += ProgressLines.INTERVAL_NANOS;
            lines.sample(i * 1000L);
        }
        lines.finish(5_000_000);
        lines.close();
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds < 5, "nobody reads the FIFO, and still the stream went on: " + seconds + " s");
        assertTrue(lines.dropped() > 0, "lines that did not fit were dropped, not waited for");
        assertTrue(Files.exists(fifo), "the operator's FIFO is left in place");
    }

    /**
     * The reader holds the FIFO open before anything is written (here, in this JVM, read-write,
     * which never blocks): a reader started as a process (head) may open it only after the
     * writer has written and closed, and then the lines are gone with the pipe and it waits
     * for ever (issue 18: this test failed that way on a loaded machine).
     */
    @Test
    void aFifoWithAReaderGetsTheLines(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("progress.fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS));
        try (java.io.RandomAccessFile reader = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            try (ProgressLines lines = ProgressLines.open(new Progress(Progress.Kind.FILE, fifo.toString()), dir, "joiner",
                    null, () -> 0L)) {
                lines.finish(42);
            }
            // close() waited for its writer: the line is in the pipe, which our descriptor keeps
            String line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(10, TimeUnit.SECONDS);
            assertTrue(line.startsWith("   joiner: => Rate:") && line.contains("Bytes: 42B"), line);
        }
    }

    /** Issue 18 item 6: a link planted where the progress file goes is refused, its target untouched. */
    @Test
    void aLinkWhereTheProgressFileGoesIsRefusedAndNotFollowed(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "untouched\n");
        Path link = Files.createSymbolicLink(dir.resolve("progress.log"), victim);
        org.sstorchestrator.states.SstException e = assertThrows(
                org.sstorchestrator.states.SstException.class, () -> ProgressLines.open(
                        new Progress(Progress.Kind.FILE, link.toString()), dir, "joiner", null, () -> 0L));
        assertEquals(org.sstorchestrator.states.ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("untouched\n", Files.readString(victim));
    }

    @Test
    void aPathThatCannotBeWrittenFailsBeforeTheStreamNamingIt(@TempDir Path dir) {
        SstException e = assertThrows(SstException.class, () -> ProgressLines.check(new Progress(Progress.Kind.FILE,
                dir.toString()), dir));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("[sst] progress = '" + dir + "'") && e.getMessage().contains("directory"),
                e.getMessage());
        assertThrows(SstException.class, () -> ProgressLines.check(new Progress(Progress.Kind.FILE, "/nonexistent/dir/p.log"),
                dir));
        ProgressLines.check(new Progress(Progress.Kind.FILE, "new.log"), dir); // created when missing, as stock
    }

    @Test
    void sizesAndTimesAsPvPrintsThem() {
        assertEquals("512B", ProgressLines.size(512));
        assertEquals("96.4KiB", ProgressLines.size(96.4 * 1024));
        assertEquals("100KiB", ProgressLines.size(100 * 1024));
        assertEquals("1.21GiB", ProgressLines.size(1.21 * (1L << 30)));
        assertEquals("1:02:03", ProgressLines.clock(3723));
    }
}
