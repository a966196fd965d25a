package org.sstorchestrator.states.donor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Failures;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.args.SstAddress;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildLog;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.layout.FileTree;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.mariabackup.BackupFlags;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.mariabackup.MariadbBackup;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.transfer.Transfers;
import org.sstorchestrator.states.wire.ProgressLines;
import org.sstorchestrator.wire.Copier;
import org.sstorchestrator.wire.Transfer;
import org.sstorchestrator.wire.WireException;

/**
 * Transfer 2: {@code mariadb-backup --backup --galera-info --stream=mbstream} copied to the
 * joiner. The connect is retried within sst-connect-timeout while the joiner re-listens; the
 * stock script sleeps a fixed 10 s here instead. The password reaches mariadb-backup only
 * as MYSQL_PWD. Both ends of the pipeline are judged: a backup that exits non-zero is
 * exit 22, a copy that fails is exit 32.
 */
public final class StreamBackup implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamBackup.class);

    @Override
    public String run(SstContext ctx) throws IOException {
        SstAddress joiner = ctx.args.address();
        Path base = ctx.tmpBase();
        Path work = SstFiles.createTempDir(base, "backup");
        Path tmp = SstFiles.createTempDir(base, "tmp");
        recordDirectories(ctx, base, work, tmp);
        StockLine.STREAMING_TO_JOINER.log(joiner.host(), joiner.port());
        try {
            Transfers wire = ctx.facts().get(Transfers.class);
            Transfer t = wire.connect(ctx, Transfers.Kind.BACKUP);
            Sent sent;
            try {
                long started = ctx.clock.getAsLong();
                Command backup = command(ctx, work, tmp);
                long logFrom = Failures.sizeOf(ctx.backupLog());
                sent = send(ctx, t, ctx.children.stream(backup), wire, started, logFrom);
            } finally {
                t.close();
            }
            if (wire.changesBytes()) {
                ctx.recorder.attribute("backup_wire_bytes", Long.toString(t.wireBytes()));
            }
            judge(ctx, sent, tmp);
            ctx.recorder.transfer("backup", sent.bytes(), sent.started(), ctx.clock.getAsLong());
            LOG.info("Sent {} bytes to the joiner at {}:{}", sent.bytes(), joiner.host(), joiner.port());
            return OK;
        } finally {
            FileTree.deleteQuietly(work);
            FileTree.deleteQuietly(tmp);
        }
    }

    /** What the copy did: its bytes (all of them, or as far as it came) and its failure, if any. */
    private record Sent(ChildProcesses.Streaming child, long bytes, AtomicLong counter, RuntimeException failure,
                        long started, long logFrom) {
    }

    private static void recordDirectories(SstContext ctx, Path base, Path work, Path tmp) {
        ctx.recorder.attribute(SstFiles.TMP_BASE, base.toAbsolutePath().normalize().toString());
        ctx.recorder.attribute(SstFiles.TMP_BACKUP, work.toString());
        ctx.recorder.attribute(SstFiles.TMP_TMPDIR, tmp.toString());
        StockLine.TEMPORARY_DIRECTORY.log(tmp);
        StockLine.WORKING_DIRECTORY.log(work);
    }

    /** mariadb-backup's stdout into the transfer, to its end (a compressor's last frame, TLS's close) or a failure. */
    private static Sent send(SstContext ctx, Transfer t, ChildProcesses.Streaming child, Transfers wire, long started,
                             long logFrom) {
        AtomicLong counter = new AtomicLong();
        Long total = ctx.facts().get(Estimate.class).total();
        try (ProgressLines lines = ProgressLines.open(ctx.config.stream().progress(), ctx.datadir, "donor", total,
                ctx.nanos)) {
            OutputStream out = t.out();
            long bytes = Copier.copy(child.stdout(), out, ctx.config.stall(), Copier.Network.SINK, "sending the backup",
                    ctx.abort, counter, n -> {
                        ctx.progress(n, total);
                        lines.sample(n);
                    }, ctx.nanos);
            try {
                t.finish(); // a failure here is the transfer's (32)
            } catch (IOException e) {
                throw t.failure(e, "sending the end of the backup to the joiner", "");
            }
            lines.finish(bytes);
            return new Sent(child, bytes, counter, null, started, logFrom);
        } catch (SstException | WireException e) {
            Abort.killChildren();
            return new Sent(child, 0, counter, e, started, logFrom);
        } catch (IOException e) { // a layer could not start (its codec, its child)
            Abort.killChildren();
            return new Sent(child, 0, counter, new SstException(ExitCode.EPIPE, "starting the stream to the joiner ("
                    + wire.describe() + ") failed: " + e.getMessage(), e), started, logFrom);
        }
    }

    /**
     * Both ends of the pipeline are judged once the connection is closed: a copy that failed is
     * its failure (32), a backup that exits non-zero is 22, or 28 when its disk filled.
     */
    private static void judge(SstContext ctx, Sent sent, Path tmp) {
        int code = sent.child().finish();
        if (sent.failure() != null || code != 0 || ctx.abort.triggered()) {
            ctx.recorder.transfer("backup", sent.counter().get(), sent.started(), ctx.clock.getAsLong(), false);
        }
        ctx.abort.check();
        if (sent.failure() != null) {
            throw sent.failure();
        }
        if (code != 0) {
            ChildLog.Summary log = ChildLog.summarize(ctx.backupLog(), sent.logFrom());
            throw Failures.ofChild(ctx.backupLog(), sent.logFrom(), () -> "mariadb-backup --backup ran out of disk space"
                    + " (exit code " + code + "; its temporary files go to " + tmp + "); " + log.describe()
                    + "; free space there or set tmpdir",
                    () -> StockLine.BACKUP_FAILED.failure(ExitCode.EINVAL, "; " + log.describe(), code, ctx.backupLog()));
        }
    }

    private static Command command(SstContext ctx, Path work, Path tmp) {
        List<String> rest = new ArrayList<>();
        BackupFlags flags = new BackupFlags(ctx);
        rest.add("--backup");
        rest.add("--no-version-check"); // as the stock script: no call home from the donor
        rest.addAll(flags.parallel(ctx.sizing.backupParallel(), "the backup"));
        rest.addAll(flags.logCopyInterval()); // before inno-backup-opts, which may say otherwise and then wins
        rest.add("--databases-exclude=lost+found");
        rest.addAll(ctx.config.stream().backupCompression()); // [sst]/[mariabackup] compress: qpress, as stock
        rest.addAll(ctx.config.backupOptions());
        rest.add("--tmpdir=" + tmp);
        rest.addAll(flags.innoExtra());
        rest.addAll(MariadbBackup.serverConnection(ctx));
        ctx.config.extraPort().ifPresent(StockLine.EXTRA_PORT::log); // use-extra with a thread pool: as stock
        rest.addAll(flags.useMemory());
        rest.add("--galera-info");
        rest.add("--stream=mbstream");
        rest.add("--target-dir=" + work);
        rest.add("--datadir=" + ctx.datadir);
        rest.addAll(flags.mysqldArgs());
        Command c = Command.of(ctx.facts().get(Binaries.class).mariadbBackup(), MariadbBackup.withDefaults(ctx, rest))
                .withLog(ctx.backupLog())
                .withSyslog("innobackupex-backup")
                .inDirectory(ctx.datadir);
        return MariadbBackup.withPassword(ctx, c);
    }
}
