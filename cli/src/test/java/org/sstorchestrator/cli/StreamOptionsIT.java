package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;

/**
 * Issue 10, ours against ours on a real donor node ({@link DirectSst}): compression built in
 * and as argv children, the failures of a compressor and of a compressed stream, a missing
 * decompressor, rlimit measured from our own progress samples, progress to stderr, a file
 * and a FIFO nobody reads, sockopt, and compress (qpress). Both sides run as mysqld runs them.
 */
class StreamOptionsIT {

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("stream-options", 20);

    /** A finished SST of ours: both sides' exit codes and histories. */
    private record Sst(DirectSst.Side joiner, DirectSst.Side donor, int joinerExit, int donorExit) {
    }

    private static Sst sst(Path tmp, List<String> joinerSst, List<String> donorSst, Map<String, String> donorEnv,
                           String... joinerArgs) throws Exception {
        List<String> j = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        j.addAll(joinerSst);
        List<String> d = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        d.addAll(donorSst);
        DirectSst.Side joiner = DirectSst.joiner(tmp, j, Map.of(), joinerArgs);
        String address = DirectSst.ready(joiner).orElseThrow(() -> new AssertionError(joiner.err()));
        DirectSst.Side donor = DirectSst.donor(tmp, DONOR.node(), address, d, donorEnv);
        int donorExit = donor.exit(DirectSst.BOUND);
        int joinerExit = joiner.exit(DirectSst.BOUND);
        return new Sst(joiner, donor, joinerExit, donorExit);
    }

    private static void assertSucceeded(Sst s) throws Exception {
        assertEquals(0, s.donorExit(), "donor:\n" + s.donor().err());
        assertEquals(0, s.joinerExit(), "joiner:\n" + s.joiner().err());
        List<String> out = s.joiner().lines();
        assertTrue(out.get(out.size() - 1).matches("[0-9a-f-]{36}:\\d+ 0"), "the position: " + out);
    }

    private static RunDetail last(Path history) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            HistoryQueries q = new HistoryQueries(db);
            return q.detail(q.history(null, 1).get(0).id());
        }
    }

    private static long transferred(RunDetail run, String what) {
        return run.transfers().stream().filter(t -> t.what().equals(what)).mapToLong(RunDetail.Transfer::bytes).sum();
    }

    /** donor's compressor, joiner's decompressor, and how each must run. */
    static Stream<Arguments> compressors() {
        return Stream.of(
                Arguments.of("zstd -T2 -3 -c", "zstd -d", "built-in zstd -3 -T2", "built-in zstd -3"),
                Arguments.of("lz4 -c", "lz4 -d -c", "built-in lz4 -1 -B7", "built-in lz4 -1 -B7"),
                Arguments.of("pigz -p 2 -c", "pigz -dc", "built-in pigz -p2 -6", "built-in pigz -p2 -6"),
                // named with a path, the tool itself runs as an argv child on both sides (quotes as a shell reads them)
                Arguments.of("'/usr/bin/gzip' --fast -c", "/usr/bin/gzip -d -c", "child process /usr/bin/gzip --fast -c",
                        "child process /usr/bin/gzip -d -c"));
    }

    @ParameterizedTest(name = "compressor={0} decompressor={1}")
    @MethodSource("compressors")
    void aCompressedSstCarriesTheBackupWholeWithFewerBytesOnTheWire(String compressor, String decompressor,
            String donorRuns, String joinerRuns, @TempDir Path tmp) throws Exception {
        Sst s = sst(tmp, List.of("decompressor=" + decompressor), List.of("compressor=" + compressor), Map.of());
        assertSucceeded(s);
        RunDetail donor = last(s.donor().history());
        RunDetail joiner = last(s.joiner().history());
        assertEquals(donorRuns, donor.attributes().get("compressor"));
        assertEquals(joinerRuns, joiner.attributes().get("decompressor"));
        long stream = transferred(joiner, "backup");
        long wire = Long.parseLong(joiner.attributes().get("backup_wire_bytes"));
        assertEquals(transferred(donor, "backup"), stream, "both sides count the same backup stream");
        assertEquals(Long.parseLong(donor.attributes().get("backup_wire_bytes")), wire, "and the same bytes on the wire");
        assertTrue(wire < stream * 0.8, "compressed on the wire: " + wire + " of " + stream);
        if (donorRuns.startsWith("child")) {
            // an external compressor is a child of each transfer, with its argv and exit code recorded
            assertEquals(2, donor.children().stream().filter(c -> c.argv().contains("/usr/bin/gzip")
                    && Integer.valueOf(0).equals(c.exitCode())).count(), donor.children().toString());
            assertEquals(2, joiner.children().stream().filter(c -> c.argv().contains("/usr/bin/gzip")
                    && Integer.valueOf(0).equals(c.exitCode())).count(), joiner.children().toString());
        }
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * A stand-in on the donor's PATH: the real zstd for transfer 1, and for the backup either
     * 3 MB of it followed by a failure, or a corrupted stream.
     */
    private static Map<String, String> standIn(Path tmp, String second) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("stand-in"));
        Path fake = bin.resolve("flaky-compressor");
        Files.writeString(fake, "#!/bin/sh\n"
                + "count=\"$0.count\"; n=$(cat \"$count\" 2>/dev/null || echo 0); echo $((n + 1)) > \"$count\"\n"
                + "if [ \"$n\" -eq 0 ]; then exec zstd -q -c; fi\n"
                + second + "\n");
        fake.toFile().setExecutable(true);
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    @ParameterizedTest(name = "the donor's compressor {0}")
    @ValueSource(strings = {"exits with 3", "is killed"})
    void aCompressorThatFailsMidStreamFailsBothSidesRecordedAndTheOldDatadirStays(String how, @TempDir Path tmp)
            throws Exception {
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("old_table.ibd");
        Files.writeString(old, "a table of the old datadir");
        String second = how.equals("exits with 3")
                ? "head -c 3000000 | zstd -q -c; echo 'flaky-compressor: simulated failure' >&2; exit 3"
                : "head -c 3000000 | zstd -q -c; kill -9 $$";
        Sst s = sst(tmp, List.of("decompressor=zstd -d"), List.of("compressor=flaky-compressor"), standIn(tmp, second));
        assertEquals(32, s.donorExit(), s.donor().err());
        assertEquals(32, s.joinerExit(), s.joiner().err());
        RunDetail donor = last(s.donor().history());
        assertEquals("stream_backup", donor.summary().lastStage());
        String error = donor.failure().orElseThrow().message();
        assertTrue(error.contains("[sst] compressor '") && error.contains("/flaky-compressor'") && error.contains(how.equals("exits with 3")
                ? "exited with code 3" : "was killed by signal 9"), error);
        if (how.equals("exits with 3")) {
            assertTrue(error.contains("flaky-compressor: simulated failure"), "its stderr's last line: " + error);
        }
        assertTrue(donor.children().stream().anyMatch(c -> c.argv().contains("flaky-compressor")
                && c.stage().equals("stream_backup") && c.exitCode() != null && c.exitCode() != 0),
                "the failing child is recorded with its code: " + donor.children());
        RunDetail joiner = last(s.joiner().history());
        assertEquals("receive_stream", joiner.summary().lastStage());
        assertTrue(s.joiner().lines().stream().allMatch(l -> l.startsWith("ready ")), "no position (P1)");
        assertTrue(Files.exists(old), "nothing of the old datadir is lost (P5)");
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void aCorruptCompressedStreamFailsTheJoinerInReceiveStreamNamingTheCodec(@TempDir Path tmp) throws Exception {
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("old_table.ibd");
        Files.writeString(old, "a table of the old datadir");
        // every 'A' of the compressed backup becomes a 'B': the frames' checksums no longer hold
        Sst s = sst(tmp, List.of("decompressor=zstd -d"), List.of("compressor=flaky-compressor"),
                standIn(tmp, "zstd -q -c | tr A B"));
        assertEquals(32, s.joinerExit(), s.joiner().err());
        RunDetail joiner = last(s.joiner().history());
        assertEquals("receive_stream", joiner.summary().lastStage());
        String error = joiner.failure().orElseThrow().message();
        assertTrue(error.contains("not valid zstd data"), error);
        assertTrue(Files.exists(old), "nothing of the old datadir is lost (P5)");
        assertTrue(s.donorExit() == 0 || s.donorExit() == 32, "the donor either finished or saw the joiner go: "
                + s.donorExit());
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void aMissingDecompressorIsExit2AtPreflightBeforeTheJoinerListens(@TempDir Path tmp) throws Exception {
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("old_table.ibd");
        Files.writeString(old, "a table of the old datadir");
        DirectSst.Side j = DirectSst.joiner(tmp, List.of("decompressor=unxz-not-installed -d"), Map.of());
        assertEquals(2, j.exit(DirectSst.BOUND), j.err());
        assertEquals(List.of(), j.lines(), "no ready: the donor is never asked to send");
        RunDetail run = last(j.history());
        assertEquals("preflight", run.summary().lastStage());
        assertTrue(run.failure().orElseThrow().message().contains("'unxz-not-installed' not found"), run.failure().toString());
        assertTrue(Files.exists(old));
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * rlimit=20m on the donor, measured from the donor's own progress samples (twice a second,
     * in the history): no one-second window above the limit by more than 10 %, and the whole
     * stream not faster than the limit. Also: progress to stderr (joiner), to a FIFO that nobody
     * reads (donor: the SST must not wait for it), --progress 1 lines for mysqld, and sockopt
     * keepalive,pf=ip4 on both sides; sst-admin watch shows the limit.
     */
    @Test
    void rlimitPacesTheBackupWithoutBurstsWhileProgressGoesToStderrAndToAnUnreadFifo(@TempDir Path tmp)
            throws Exception {
        Path fifo = tmp.resolve("donor-progress.fifo");
        assertTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(10, TimeUnit.SECONDS));
        long limit = 20L << 20;
        Sst s = sst(tmp, List.of("progress=1", "sockopt=keepalive,pf=ip4,keepidle=30"),
                List.of("rlimit=20m", "progress=" + fifo, "sockopt=keepalive,pf=ip4,nodelay"), Map.of(),
                "--progress", "1");
        assertSucceeded(s);
        assertTrue(s.joiner().err().contains("   joiner: => Rate:["), "pv-like lines on stderr:\n" + s.joiner().err());
        assertTrue(s.joiner().lines().stream().anyMatch(l -> l.startsWith("complete ")), "--progress 1 lines for mysqld");
        assertTrue(s.joiner().lines().stream().allMatch(l -> l.matches("(ready |total |complete |[0-9a-f-]{36}:).*")),
                "nothing else on the control channel: " + s.joiner().lines());
        assertTrue(Files.exists(fifo), "the FIFO is the operator's: left in place");

        RunDetail donor = last(s.donor().history());
        assertEquals(Long.toString(limit), donor.attributes().get("rate_limit"));
        assertEquals("keepalive,pf=ip4,nodelay", donor.attributes().get("sockopt"));
        List<long[]> samples = samples(s.donor().history(), donor.summary().id());
        assertTrue(samples.size() >= 6, "a few seconds of samples: " + samples.size());
        long worst = 0;
        for (int i = 0; i < samples.size(); i++) {
            for (int k = i + 1; k < samples.size(); k++) {
                long ms = samples.get(k)[0] - samples.get(i)[0];
                if (ms >= 900 && ms <= 1100) { // a one-second window between two samples
                    worst = Math.max(worst, (samples.get(k)[1] - samples.get(i)[1]) * 1000 / ms);
                }
            }
        }
        System.out.printf("rlimit=20m: %d bytes in %.2f s (%.1f MiB/s); fastest one-second window %.1f MiB/s of %d samples%n",
                backupBytes(donor), backupSeconds(donor), backupBytes(donor) / backupSeconds(donor) / 1048576.0,
                worst / 1048576.0, samples.size());
        assertTrue(worst > 0 && worst <= limit * 1.10, "the fastest one-second window: " + worst + " bytes/s, limit " + limit);
        RunDetail.Transfer backup = donor.transfers().stream().filter(t -> t.what().equals("backup")).findFirst().orElseThrow();
        double seconds = (backup.endedMs() - backup.startedMs()) / 1000.0;
        double average = backup.bytes() / seconds;
        assertTrue(average <= limit * 1.03, "the stream as a whole is not faster than the limit: " + average);
        assertTrue(seconds >= backup.bytes() / (double) limit * 0.97, backup.bytes() + " bytes took " + seconds + " s");

        StringWriter out = new StringWriter();
        new SstAdmin(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .execute("watch", donor.summary().id(), "--history-dir", s.donor().history().toString());
        assertTrue(out.toString().contains("(limit 20.0 MB/s)"), out.toString());
        StringWriter inspect = new StringWriter();
        new SstAdmin(new PrintWriter(inspect), new PrintWriter(new StringWriter()))
                .execute("inspect", donor.summary().id(), "--history-dir", s.donor().history().toString());
        assertTrue(inspect.toString().contains("Stream   rate limit 20.0 MB/s; sockopt keepalive,pf=ip4,nodelay"),
                inspect.toString());
        TransitionLedger.record(getClass(), tmp);
    }

    private static long backupBytes(RunDetail run) {
        return transferred(run, "backup");
    }

    private static double backupSeconds(RunDetail run) {
        RunDetail.Transfer t = run.transfers().stream().filter(x -> x.what().equals("backup")).findFirst().orElseThrow();
        return (t.endedMs() - t.startedMs()) / 1000.0;
    }

    /**
     * transferfmt=nc is plain TCP for us (the stock script runs netcat, which takes no socat
     * options: sockopt is unused, and a WARNING says so); progress to a file, relative to the
     * datadir, survives the joiner's wipe (*.log is on the keep-list).
     */
    @Test
    void netcatIsPlainTcpAndProgressToAFileIsAppendedInTheDatadir(@TempDir Path tmp) throws Exception {
        Sst s = sst(tmp, List.of("transferfmt=nc", "progress=sst-progress.log"),
                List.of("transferfmt=nc", "sockopt=keepalive"), Map.of());
        assertSucceeded(s);
        assertTrue(s.donor().err().contains("sockopt is not used with transferfmt=nc"), s.donor().err());
        List<String> progress = Files.readAllLines(tmp.resolve("data/sst-progress.log"));
        assertTrue(!progress.isEmpty() && progress.get(progress.size() - 1).startsWith("   joiner: => Rate:[")
                && progress.get(progress.size() - 1).contains(" Bytes: "), progress.toString());
        TransitionLedger.record(getClass(), tmp);
    }

    /** The donor's progress samples of its backup stream: {at_ms, bytes}. */
    private static List<long[]> samples(Path history, String runId) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (HistoryDatabase db = HistoryDatabase.openForReading(history);
             PreparedStatement ps = db.connection().prepareStatement(
                     "SELECT at_ms, bytes FROM progress WHERE run_id = ? AND stage = 'stream_backup' ORDER BY at_ms")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        return out;
    }

    /**
     * compress (mariadb-backup's QuickLZ, *.qp files): the donor passes it to its backup as the
     * stock script does; our joiner expands the files with qpress, which Debian 12 does not
     * package: without it, the joiner stops in decompress with 22 before anything is wiped.
     */
    @Test
    void aQpressCompressedBackupIsRefusedClearlyWithoutQpressAndTheOldDatadirStays(@TempDir Path tmp) throws Exception {
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("old_table.ibd");
        Files.writeString(old, "a table of the old datadir");
        assumeTrue(!onPath("qpress"), "qpress is installed here: the refusal is not what happens");
        Sst s = sst(tmp, List.of(), List.of("compress=quicklz", "compress-threads=2"), Map.of());
        assertEquals(0, s.donorExit(), s.donor().err());
        assertEquals(22, s.joinerExit(), s.joiner().err());
        RunDetail joiner = last(s.joiner().history());
        assertEquals("decompress", joiner.summary().lastStage());
        assertTrue(joiner.failure().orElseThrow().message().contains("qpress utility not found in the path"),
                joiner.failure().toString());
        assertTrue(Files.exists(old), "refused before the wipe (P5)");
        RunDetail donor = last(s.donor().history());
        assertTrue(donor.children().stream().anyMatch(c -> c.argv().contains("--compress=quicklz")
                && c.argv().contains("--compress-threads=2")), donor.children().toString());
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * With a qpress on PATH (a stand-in: the real one is not packaged), the joiner runs it as the
     * stock script does, one {@code qpress -dT<cpus> <file> <dir>} per file, and a failing one
     * is 22 ("Decompression failed"), still before the wipe.
     */
    @Test
    void aFailingQpressIsExit22InDecompressWithItsArgvRecordedAndTheOldDatadirStays(@TempDir Path tmp) throws Exception {
        Path old = Files.createDirectories(tmp.resolve("data")).resolve("old_table.ibd");
        Files.writeString(old, "a table of the old datadir");
        Path bin = Files.createDirectories(tmp.resolve("qpress-stand-in"));
        Path qpress = bin.resolve("qpress");
        Files.writeString(qpress, "#!/bin/sh\necho \"qpress: simulated failure on $2\" >&2\nexit 1\n");
        qpress.toFile().setExecutable(true);
        List<String> j = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        DirectSst.Side joiner = DirectSst.joiner(tmp, j, Map.of("PATH", bin + ":" + System.getenv("PATH")));
        String address = DirectSst.ready(joiner).orElseThrow(() -> new AssertionError(joiner.err()));
        List<String> d = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        d.add("compress=quicklz");
        DirectSst.Side donor = DirectSst.donor(tmp, DONOR.node(), address, d, Map.of());
        assertEquals(0, donor.exit(DirectSst.BOUND), donor.err());
        assertEquals(22, joiner.exit(DirectSst.BOUND), joiner.err());
        RunDetail run = last(joiner.history());
        assertEquals("decompress", run.summary().lastStage());
        assertTrue(run.failure().orElseThrow().message().startsWith("Decompression failed. Exit code: 1"),
                run.failure().toString());
        RunDetail.Child child = run.children().stream().filter(c -> c.argv().contains(qpress.toString())).findFirst()
                .orElseThrow(() -> new AssertionError(run.children().toString()));
        assertEquals("decompress", child.stage());
        assertEquals(1, child.exitCode());
        String sst = java.util.regex.Pattern.quote(tmp.resolve("data/.sst").toString());
        assertTrue(child.argv().matches(".*/qpress -dT[0-9]+ " + sst + "/\\S+\\.qp " + sst + "(/\\S+)?"), child.argv());
        assertTrue(Files.exists(old), "refused before the wipe (P5)");
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void aQpressCompressedBackupIsExpandedAndPreparedWhenQpressIsThere(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("qpress"), "qpress is not packaged for Debian 12 (apt-cache policy qpress is empty):"
                + " only the refusal without it can run here");
        Sst s = sst(tmp, List.of(), List.of("compress=quicklz"), Map.of());
        assertSucceeded(s);
        try (Stream<Path> files = Files.walk(tmp.resolve("data"))) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".qp")), "no .qp file is left");
        }
        TransitionLedger.record(getClass(), tmp);
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
