package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.POSITION;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.LoopbackPeer;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.StageFixture.Recorder.Transfer;
import org.sstorchestrator.states.wire.ForgedChunks;

/**
 * Transfer 2 on the joiner: a loopback donor sends an mbstream, which is extracted into
 * {@code .sst} by the joiner itself (the default) or, with {@code [sst] sst-extractor=mbstream},
 * through {@code mbstream -x} (the real one where installed, else a stand-in on PATH).
 */
class ReceiveStreamTest {

    private static final Path REAL_MBSTREAM = Path.of("/usr/bin/mbstream");
    private static final String CHECKPOINTS = "backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 45678\nlast_lsn = 45678\n";

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private Listening listening;

    @BeforeEach
    void fixture() throws Exception {
        listening = f.listening();
        f.write(f.datadir.resolve("ibdata1"), "the old datadir's system tablespace");
    }

    /** What a small backup carries, in stream order. */
    private static Map<String, String> backupFiles(String checkpoints) {
        Map<String, String> files = new LinkedHashMap<>();
        if (checkpoints != null) {
            files.put("xtrabackup_checkpoints", checkpoints);
        }
        files.put("ibdata1", "a page of the system tablespace\n".repeat(4000));
        files.put("shop/orders.ibd", "a row of shop.orders\n".repeat(1000));
        files.put("xtrabackup_galera_info", POSITION + "\n");
        return files;
    }

    private static byte[] stream(Map<String, String> files) throws Exception {
        byte[][] parts = files.entrySet().stream().map(e -> {
            try {
                return ForgedChunks.file(e.getKey(), e.getValue());
            } catch (java.io.IOException x) {
                throw new IllegalStateException(x);
            }
        }).toArray(byte[][]::new);
        return ForgedChunks.concat(parts);
    }

    private SstContext joiner() throws Exception {
        SstContext ctx = f.joiner();
        ctx.facts().put(new Binaries(f.bin.resolve("mariadb-backup"), Optional.of(f.bin.resolve("mbstream"))));
        ctx.facts().put(listening);
        ctx.facts().put(StageFixture.fromDonor(1L << 20, false));
        return ctx;
    }

    private Path stdinCopy() {
        return f.bin.resolve("mbstream.stdin");
    }

    /** [sst] sst-extractor=mbstream: the fallback through mbstream -x. */
    private void throughMbstream(String standInBody) throws Exception {
        f.option("sst", "sst-extractor", "mbstream");
        if (standInBody != null) {
            f.standIn("mbstream", standInBody);
        }
    }

    /** The real mbstream, with a copy of what it was given. */
    private void realMbstream() throws Exception {
        f.option("sst", "sst-extractor", "mbstream");
        Assumptions.assumeTrue(Files.isExecutable(REAL_MBSTREAM), "mbstream is installed by scripts/install-deps");
        f.standIn("mbstream", "tee '" + stdinCopy() + "' | " + REAL_MBSTREAM + " \"$@\"");
    }

    /** A stand-in that keeps what it was given and writes {@code files} where it runs, as mbstream -x would. */
    private void standInExtracting(Map<String, String> files) throws Exception {
        f.option("sst", "sst-extractor", "mbstream");
        StringBuilder body = new StringBuilder("cat > '" + stdinCopy() + "'\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            if (file.getKey().contains("/")) {
                body.append("mkdir -p '").append(file.getKey(), 0, file.getKey().lastIndexOf('/')).append("'\n");
            }
            body.append("printf '%s' '").append(file.getValue()).append("' > '").append(file.getKey()).append("'\n");
        }
        f.standIn("mbstream", body.toString());
    }

    private Path receiveLog() {
        return f.datadir.resolve(SstFiles.RECEIVE_LOG);
    }

    // ---- the joiner's own extractor (the default) ----

    @Test
    void aValidStreamIsExtractedIntoDotSstByTheJoinerItselfAndTheOldDatadirIsLeftWhole() throws Exception {
        Map<String, String> files = backupFiles(CHECKPOINTS);
        byte[] sent = stream(files);
        LoopbackPeer.donorSends(listening.server().getLocalPort(), sent);
        SstContext ctx = joiner();

        assertEquals(Stage.OK, new ReceiveStream().run(ctx));

        for (Map.Entry<String, String> file : files.entrySet()) {
            assertEquals(file.getValue(), Files.readString(ctx.sstDir().resolve(file.getKey())), file.getKey());
        }
        assertEquals(List.of("ibdata1", "shop", "shop/orders.ibd", "xtrabackup_checkpoints", "xtrabackup_galera_info"),
                StageFixture.list(ctx.sstDir()));
        assertTrue(ctx.facts().has(Received.class));
        assertEquals("the old datadir's system tablespace", Files.readString(f.datadir.resolve("ibdata1")), "P5");
        assertEquals(List.of(new Transfer("backup", sent.length, true)), f.recorder.transfers);
        assertEquals((long) sent.length, f.recorder.progress.get(f.recorder.progress.size() - 1));
        assertEquals(List.of(), f.recorder.children, "no mbstream: one process fewer");
        assertTrue(listening.server().isClosed(), "once the donor is in, nothing else may connect");
        assertEquals(List.of(), f.printed());
    }

    @Test
    void aStaleDotSstOfAnEarlierRunIsRemovedBeforeTheStream() throws Exception {
        Map<String, String> files = backupFiles(CHECKPOINTS);
        f.write(f.datadir.resolve(".sst/shop/stale.ibd"), "from a run that died");
        LoopbackPeer.donorSends(listening.server().getLocalPort(), stream(files));
        SstContext ctx = joiner();

        new ReceiveStream().run(ctx);

        assertEquals(List.of("ibdata1", "shop", "shop/orders.ibd", "xtrabackup_checkpoints", "xtrabackup_galera_info"),
                StageFixture.list(ctx.sstDir()));
    }

    @Test
    void receiveStreamRefusesASecondConnectionFromAnotherAddressAndTakesTheDonors() throws Exception {
        Map<String, String> files = backupFiles(CHECKPOINTS);
        int port = listening.server().getLocalPort();
        try (Socket stranger = LoopbackPeer.strangerConnects(port)) {
            stranger.getOutputStream().write(stream(Map.of("xtrabackup_checkpoints", "a stranger's backup\n")));
            LoopbackPeer.donorSends(port, stream(files));
            SstContext ctx = joiner();

            assertEquals(Stage.OK, new ReceiveStream().run(ctx));

            assertEquals(List.of("refused_connection: 127.0.0.2:" + stranger.getLocalPort()
                    + " (transfer 2 comes only from 127.0.0.1)"), f.recorder.notes);
            stranger.setSoTimeout(2_000);
            assertEquals(-1, stranger.getInputStream().read(), "the stranger was closed at once");
            assertEquals(CHECKPOINTS, Files.readString(ctx.sstDir().resolve("xtrabackup_checkpoints")), "the donor's");
        }
    }

    /** Issue 18 item 6: a flood of strangers makes ten notes and a count, not a row and a log line each. */
    @Test
    void aFloodOfStrangersIsRecordedOneByOneOnlyAtFirstThenCounted() throws Exception {
        byte[] backup = stream(backupFiles(CHECKPOINTS));
        int port = listening.server().getLocalPort();
        int strangers = 60;
        java.util.concurrent.CompletableFuture<Void> flood = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < strangers; i++) {
                    try (Socket s = LoopbackPeer.strangerConnects(port)) {
                        s.setSoTimeout(10_000);
                        s.getInputStream().read(); // until the joiner has refused (closed) it
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).thenCompose(done -> LoopbackPeer.donorSends(port, backup));
        SstContext ctx = joiner();

        assertEquals(Stage.OK, new ReceiveStream().run(ctx));
        flood.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(RefusedConnections.EACH, f.recorder.notes.stream().filter(n -> n.startsWith("refused_connection:")).count(),
                f.recorder.notes.toString());
        assertEquals(List.of("refused_connections: " + strangers + " in all; the first 10 are recorded one by one"),
                f.recorder.notes.stream().filter(n -> n.startsWith("refused_connections:")).toList());
    }

    @Test
    void aTruncatedStreamIsExit32AndWhatArrivedIsRecordedAsIncomplete() throws Exception {
        byte[] whole = stream(backupFiles(CHECKPOINTS));
        LoopbackPeer.donorSends(listening.server().getLocalPort(), Arrays.copyOf(whole, whole.length - 7));
        SstContext ctx = joiner();

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(ctx));

        assertTrue(e.getMessage().contains("middle of a chunk"), e.getMessage());
        assertEquals(List.of(new Transfer("backup", whole.length - 7, false)), f.recorder.transfers);
        assertFalse(ctx.facts().has(Received.class));
    }

    @Test
    void aBackupWithoutItsCheckpointsFileIsExit2() throws Exception {
        LoopbackPeer.donorSends(listening.server().getLocalPort(), stream(backupFiles(null)));
        SstContext ctx = joiner();

        SstException e = failsWith(ExitCode.ENOENT, () -> new ReceiveStream().run(ctx));

        assertTrue(e.getMessage().contains("xtrabackup_checkpoints"), e.getMessage());
        assertFalse(ctx.facts().has(Received.class));
    }

    @Test
    void aCompactBackupWhichPrepareCannotHandleIsExit2() throws Exception {
        LoopbackPeer.donorSends(listening.server().getLocalPort(), stream(backupFiles(CHECKPOINTS + "compact = 1\n")));

        SstException e = failsWith(ExitCode.ENOENT, () -> new ReceiveStream().run(joiner()));

        assertTrue(e.getMessage().contains("compact"), e.getMessage());
    }

    @Test
    void aPathThatEscapesDotSstIsRefusedWith32AndNothingIsWrittenOutsideIt() throws Exception {
        byte[] hostile = ForgedChunks.concat(stream(backupFiles(CHECKPOINTS)), ForgedChunks.file("../../escaped", "x"),
                ForgedChunks.chunk('R', 0, "ibdata1", ForgedChunks.renameTo("../ibdata1")));
        LoopbackPeer.donorSends(listening.server().getLocalPort(), hostile);

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(joiner()));

        assertTrue(e.getMessage().contains("escapes the target"), e.getMessage());
        assertFalse(Files.exists(f.root.resolve("escaped")));
        assertEquals("the old datadir's system tablespace", Files.readString(f.datadir.resolve("ibdata1")));
    }

    @Test
    void aDonorThatFallsSilentMidStreamIsCutOffAtTheIdleTimeoutWith32() throws Exception {
        f.option("sst", "sst-idle-timeout", "1").clockRunningTimesFaster(10);
        byte[] whole = stream(backupFiles(CHECKPOINTS));
        try (Socket donor = LoopbackPeer.donorSendsThenStalls(listening.server().getLocalPort(),
                Arrays.copyOf(whole, whole.length / 2))) {
            SstContext ctx = joiner();

            SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(ctx));

            assertTrue(e.getMessage().contains("stalled: no data for 1 s"), e.getMessage());
            assertEquals(List.of(new Transfer("backup", whole.length / 2, false)), f.recorder.transfers);
        }
    }

    @Test
    void noDonorConnectionForTheBackupWithinTheInitialTimeoutIsExit32() throws Exception {
        f.clockLeaping(10_000_000_000L); // the 2 s of sst-initial-timeout pass at once
        SstContext ctx = joiner();

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(ctx));

        assertTrue(e.getMessage().contains("sst-initial-timeout"), e.getMessage());
        assertEquals(List.of(), f.recorder.transfers);
    }

    // ---- the fallback: [sst] sst-extractor=mbstream ----

    @Test
    void throughMbstreamAValidStreamIsExtractedIntoDotSstAndTheOldDatadirIsLeftWhole() throws Exception {
        realMbstream();
        Map<String, String> files = backupFiles(CHECKPOINTS);
        byte[] sent = stream(files);
        LoopbackPeer.donorSends(listening.server().getLocalPort(), sent);
        SstContext ctx = joiner();

        assertEquals(Stage.OK, new ReceiveStream().run(ctx));

        for (Map.Entry<String, String> file : files.entrySet()) {
            assertEquals(file.getValue(), Files.readString(ctx.sstDir().resolve(file.getKey())), file.getKey());
        }
        assertTrue(ctx.facts().has(Received.class));
        assertEquals("the old datadir's system tablespace", Files.readString(f.datadir.resolve("ibdata1")), "P5");
        assertEquals(List.of(new Transfer("backup", sent.length, true)), f.recorder.transfers);
        assertEquals((long) sent.length, f.recorder.progress.get(f.recorder.progress.size() - 1));
        assertEquals(List.of(new StageFixture.Recorder.Child(List.of(f.bin.resolve("mbstream").toString(), "-x"), 0,
                receiveLog().toString())), f.recorder.children);
        assertTrue(listening.server().isClosed(), "once the donor is in, nothing else may connect");
        assertEquals(List.of(), f.printed());
    }

    @Test
    void mbstreamRunsInDotSstAndGetsTheDonorsStreamByteForByte() throws Exception {
        Map<String, String> files = backupFiles(CHECKPOINTS);
        standInExtracting(files);
        byte[] sent = stream(files);
        LoopbackPeer.donorSends(listening.server().getLocalPort(), sent);
        SstContext ctx = joiner();

        assertEquals(Stage.OK, new ReceiveStream().run(ctx));

        assertEquals(List.of("-x"), f.onlyCall("mbstream"));
        assertEquals(List.of(ctx.sstDir().toString()), f.workingDirectories("mbstream"));
        assertArrayEquals(sent, Files.readAllBytes(stdinCopy()));
    }

    @Test
    void mbstreamExitingNonZeroIsExit32NamingItsLog() throws Exception {
        throughMbstream("cat > /dev/null\necho 'mbstream: failed to write to the target' >&2\nexit 3");
        LoopbackPeer.donorSends(listening.server().getLocalPort(), stream(backupFiles(CHECKPOINTS)));
        SstContext ctx = joiner();

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(ctx));

        assertTrue(e.getMessage().contains("mbstream -x exited with 3") && e.getMessage().contains(receiveLog().toString()),
                e.getMessage());
        assertEquals("mbstream: failed to write to the target\n", Files.readString(receiveLog()));
        assertFalse(f.recorder.transfers.get(0).complete());
    }

    @Test
    void mbstreamExitingBeforeItReadsAByteIsExit32NamingItsCodeAndLogNotALocalWriteFailure() throws Exception {
        throughMbstream("echo 'mbstream: cannot open the target' >&2\nexit 5");
        Map<String, String> files = backupFiles(CHECKPOINTS);
        files.put("big.ibd", "x".repeat(4 << 20)); // more than a pipe holds: our write meets the closed pipe
        LoopbackPeer.donorSends(listening.server().getLocalPort(), stream(files));
        SstContext ctx = joiner();

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(ctx));

        assertTrue(e.getMessage().contains("mbstream -x exited with 5") && e.getMessage().contains(receiveLog().toString()),
                e.getMessage());
    }

    @Test
    void mbstreamFindingTheDiskFullIsExit28NotABrokenTransfer() throws Exception {
        throughMbstream("cat > /dev/null\n"
                + "echo \"mbstream: Can't create/write to file './ibdata1' (Errcode: 28 \\\"No space left on device\\\")\" >&2\n"
                + "exit 2");
        LoopbackPeer.donorSends(listening.server().getLocalPort(), stream(backupFiles(CHECKPOINTS)));

        SstException e = failsWith(ExitCode.ENOSPC, () -> new ReceiveStream().run(joiner()));

        assertTrue(e.getMessage().contains("sst-space-reserve"), e.getMessage());
    }

    @Test
    void aFullDiskOfAnEarlierRunStillInTheLogDoesNotMakeThisFailure28() throws Exception {
        f.write(receiveLog(), "mbstream: Errcode: 28 \"No space left on device\" (an earlier run)\n");
        throughMbstream("cat > /dev/null\necho 'mbstream: killed' >&2\nexit 3");
        LoopbackPeer.donorSends(listening.server().getLocalPort(), stream(backupFiles(CHECKPOINTS)));

        failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(joiner()));
    }

    @Test
    void mbstreamExitingZeroWithoutAFileTheStreamCarriedIsExit32() throws Exception {
        Map<String, String> files = backupFiles(CHECKPOINTS);
        standInExtracting(Map.of("xtrabackup_checkpoints", CHECKPOINTS)); // "failed to create file", then exit 0
        LoopbackPeer.donorSends(listening.server().getLocalPort(), stream(files));

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(joiner()));

        assertTrue(e.getMessage().contains("left no file"), e.getMessage());
    }

    @Test
    void throughMbstreamAPathThatEscapesDotSstIsRefusedWith32BeforeMbstreamSeesIt() throws Exception {
        standInExtracting(backupFiles(CHECKPOINTS));
        byte[] hostile = ForgedChunks.concat(stream(backupFiles(CHECKPOINTS)), ForgedChunks.file("../../escaped", "x"));
        LoopbackPeer.donorSends(listening.server().getLocalPort(), hostile);

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(joiner()));

        assertTrue(e.getMessage().contains("escapes the target"), e.getMessage());
        String given = new String(Files.readAllBytes(stdinCopy()), StandardCharsets.ISO_8859_1);
        assertFalse(given.contains("escaped"), "the hostile chunk never reached mbstream");
        assertFalse(Files.exists(f.root.resolve("escaped")));
    }

    @Test
    void throughMbstreamAStalledDonorStopsMbstreamToo() throws Exception {
        f.option("sst", "sst-idle-timeout", "1").clockRunningTimesFaster(10);
        throughMbstream("exec cat > /dev/null");
        byte[] whole = stream(backupFiles(CHECKPOINTS));
        try (Socket donor = LoopbackPeer.donorSendsThenStalls(listening.server().getLocalPort(),
                Arrays.copyOf(whole, whole.length / 2))) {
            SstContext ctx = joiner();

            SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(ctx));

            assertTrue(e.getMessage().contains("stalled: no data for 1 s"), e.getMessage());
            assertEquals(List.of(new Transfer("backup", whole.length / 2, false)), f.recorder.transfers);
            assertTrue(f.recorder.started.stream().noneMatch(ProcessHandle::isAlive), "mbstream was stopped");
        }
    }

    @Test
    void noDonorConnectionForTheBackupWithinTheInitialTimeoutIsExit32AndMbstreamNeverStarts() throws Exception {
        throughMbstream("cat > /dev/null");
        f.clockLeaping(10_000_000_000L);
        SstContext ctx = joiner();

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveStream().run(ctx));

        assertTrue(e.getMessage().contains("sst-initial-timeout"), e.getMessage());
        assertEquals(List.of(), f.calls("mbstream"));
    }
}
