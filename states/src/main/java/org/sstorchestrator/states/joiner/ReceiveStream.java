package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Failures;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.wire.Copier;
import org.sstorchestrator.states.wire.MbstreamExtractor;
import org.sstorchestrator.states.wire.MbstreamGuard;
import org.sstorchestrator.states.wire.ProgressLines;
import org.sstorchestrator.states.transfer.Transfers;
import org.sstorchestrator.wire.Transfer;
import org.sstorchestrator.wire.WireException;

/**
 * Transfer 2: the backup itself, extracted into {@code <datadir>/.sst} by us (or, as a fallback
 * for one release, through {@code mbstream -x}), every chunk checked on the way. Unlike the stock script, nothing in the datadir is
 * wiped yet: the old data survives until the new data is prepared (promise P5). The stage
 * completes only when the stream ended at a chunk boundary, mbstream exited 0, every file
 * the stream carried is there whole, and the checkpoints file is there and not compact.
 *
 * <p>Only the donor that sent transfer 1 may send transfer 2; once it is connected the port
 * is closed. A failure records the bytes that did arrive; a full disk is exit 28, told from
 * a broken link (32) by mbstream's own log.
 */
public final class ReceiveStream implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiveStream.class);

    @Override
    public String run(SstContext ctx) throws IOException {
        Path sst = freshReceiveDir(ctx);
        StockLine.WAITING_FOR_STREAM.log();
        FromDonor donor = ctx.facts().get(FromDonor.class);
        Transfers wire = ctx.facts().get(Transfers.class);
        Transfer t;
        try (RefusedConnections refused = new RefusedConnections(ctx.recorder, donor.donor().getHostAddress())) {
            // only the donor of transfer 1; the port is closed once it is in
            t = wire.accept(ctx, Transfers.Kind.BACKUP, ctx.facts().get(Listening.class).server(), donor.donor(),
                    ctx.config.initialTimeout(), refused, Optional.empty(), ctx.config.idleTimeout());
        }
        long started = ctx.clock.getAsLong();
        AtomicLong counter = new AtomicLong();
        Long total = donor.info().total().orElse(null);
        long[] received;
        try (t; ProgressLines lines = ProgressLines.open(ctx.config.stream().progress(), ctx.datadir, "joiner", total,
                ctx.nanos)) {
            LongConsumer progress = n -> {
                ctx.progress(n, total);
                lines.sample(n);
            };
            received = ctx.config.builtinExtractor() ? extractHere(ctx, t, sst, progress, counter)
                    : extractWithMbstream(ctx, t, sst, progress, counter);
            lines.finish(received[0]);
        } catch (SstException | WireException e) {
            ctx.recorder.transfer("backup", counter.get(), started, ctx.clock.getAsLong(), false);
            throw e;
        } finally {
            if (wire.changesBytes()) {
                ctx.recorder.attribute("backup_wire_bytes", Long.toString(t.wireBytes()));
            }
        }
        ctx.recorder.transfer("backup", received[0], started, ctx.clock.getAsLong());
        LOG.info("Received {} bytes ({} files) into {}", received[0], received[1], sst);
        checkCheckpoints(sst);
        ctx.facts().put(new Received());
        return OK;
    }

    /** {@code <datadir>/.sst}, empty: what an earlier run left there goes first. */
    private static Path freshReceiveDir(SstContext ctx) throws IOException {
        Path sst = ctx.sstDir();
        if (Files.exists(sst)) {
            StockLine.STALE_SST_DIRECTORY.log(ctx.datadir);
            org.sstorchestrator.states.layout.FileTree.delete(sst);
        }
        Files.createDirectories(sst);
        return sst;
    }

    /**
     * The stream, extracted by us: each chunk checked and written where it belongs. A local
     * write failure (a full disk) is the copy loop's local end: 28, or 22.
     */
    private static long[] extractHere(SstContext ctx, Transfer t, Path sst, LongConsumer progress, AtomicLong counter)
            throws IOException {
        try (MbstreamExtractor extractor = new MbstreamExtractor(sst)) {
            InputStream in = t.in();
            long bytes = Copier.copy(in, midstreamFaultPoint(ctx, extractor.stream()), ctx.config.stall(),
                    Copier.Network.SOURCE, "receiving the backup", ctx.abort, counter, progress, ctx.nanos);
            ctx.abort.check();
            extractor.finish();
            in.close();
            return new long[] {bytes, extractor.files()};
        } catch (IOException e) {
            ctx.abort.check();
            throw Failures.local("writing the backup into " + sst, e);
        }
    }

    /** The fallback ([sst] sst-extractor=mbstream): through mbstream -x, every chunk checked on its way there. */
    private static long[] extractWithMbstream(SstContext ctx, Transfer t, Path sst, LongConsumer progress,
                                              AtomicLong counter) throws IOException {
        Path receiveLog = ctx.datadir.resolve(SstFiles.RECEIVE_LOG);
        long logFrom = Failures.sizeOf(receiveLog);
        Command mbstream = Command.of(ctx.facts().get(Binaries.class).requireMbstream(), List.of("-x")).inDirectory(sst)
                .withLog(receiveLog).withSyslog("wsrep-sst-joiner"); // the stock joiner's receiving pipeline writes to its stderr
        ChildProcesses.Streaming child = ctx.children.stream(mbstream);
        MbstreamGuard guard = new MbstreamGuard(midstreamFaultPoint(ctx, child.stdin()));
        SstException failure = null;
        long bytes = 0;
        try (InputStream in = t.in()) {
            bytes = Copier.copy(in, guard, ctx.config.stall(), Copier.Network.SOURCE, "receiving the backup", ctx.abort,
                    counter, progress, ctx.nanos);
            guard.finish();
        } catch (SstException | WireException e) {
            failure = Failures.of(e);
        } catch (IOException e) { // closing a decompressor that was given up on
            failure = new SstException(ExitCode.EPIPE, "receiving the backup failed: " + e.getMessage(), e);
        }
        int code = child.finish();
        SstException copy = failure;
        SstException judged = Failures.ofChild(receiveLog, logFrom, () -> full(sst, counter, receiveLog), () -> copy != null
                && copy.code() == ExitCode.ENOSPC ? new SstException(ExitCode.ENOSPC, full(sst, counter, receiveLog)) : null);
        if (judged != null) {
            throw judged;
        }
        ctx.abort.check();
        // A write into mbstream that failed because mbstream had already exited is mbstream's
        // failure, told by its code and log; a broken link from the donor stays the link's.
        if (code != 0 && (failure == null || failure.code() != ExitCode.EPIPE)) {
            throw new SstException(ExitCode.EPIPE, "mbstream -x exited with " + code + " after "
                    + counter.get() + " bytes; see " + receiveLog);
        }
        if (failure != null) {
            throw failure;
        }
        guard.verify(sst);
        return new long[] {bytes, guard.files()};
    }

    private static String full(Path sst, AtomicLong counter, Path receiveLog) {
        return "the filesystem of " + sst + " is full: mbstream -x could not write after " + counter.get() + " bytes had"
                + " arrived (see " + receiveLog + "); free space on it, or set [sst] sst-space-reserve so the joiner wipes"
                + " its old data first or refuses before the stream";
    }

    /** "receive_stream.midstream": a crash point after the first 4 MiB, for the kill-mid-stream tests. */
    private static java.io.OutputStream midstreamFaultPoint(SstContext ctx, java.io.OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            private long seen;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                if (seen < (4 << 20) && (seen += len) >= (4 << 20)) {
                    ctx.faults.hit("receive_stream.midstream");
                }
            }
        };
    }

    static void checkCheckpoints(Path sst) throws IOException {
        Path checkpoints = SstFiles.firstExisting(sst, SstFiles.CHECKPOINTS).orElse(null);
        if (checkpoints == null || Files.size(checkpoints) == 0) {
            throw StockLine.CHECKPOINTS_MISSING.failure(ExitCode.ENOENT, ": the received backup has no (or an empty) "
                    + String.join("/", SstFiles.CHECKPOINTS) + " in " + sst);
        }
        if (Files.readString(checkpoints).lines().anyMatch(l -> l.replace(" ", "").equals("compact=1"))) {
            StockLine.INDEX_COMPACTION.log();
            throw StockLine.COMPACT_NOT_SUPPORTED.failure(ExitCode.ENOENT, " (" + checkpoints + " says compact = 1)");
        }
    }
}
