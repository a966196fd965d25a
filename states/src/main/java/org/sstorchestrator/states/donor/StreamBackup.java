package org.sstorchestrator.states.donor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.Binaries;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.FileTree;
import org.sstorchestrator.states.MariadbBackup;
import org.sstorchestrator.states.RemoteAuth;
import org.sstorchestrator.states.SstAddress;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.SstFiles;
import org.sstorchestrator.states.WireSecurity;
import org.sstorchestrator.states.exec.ChildLog;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.stock.StockLine;
import org.sstorchestrator.states.tls.PeerName;
import org.sstorchestrator.states.wire.Copier;
import org.sstorchestrator.states.wire.CountingOutputStream;
import org.sstorchestrator.states.wire.Pipeline;
import org.sstorchestrator.states.wire.ProgressLines;
import org.sstorchestrator.states.wire.RateLimiter;
import org.sstorchestrator.states.wire.Transport;

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
        ctx.recorder.attribute(SstFiles.TMP_BASE, base.toAbsolutePath().normalize().toString());
        ctx.recorder.attribute(SstFiles.TMP_BACKUP, work.toString());
        ctx.recorder.attribute(SstFiles.TMP_TMPDIR, tmp.toString());
        StockLine.TEMPORARY_DIRECTORY.log(tmp);
        StockLine.WORKING_DIRECTORY.log(work);
        StockLine.STREAMING_TO_JOINER.log(joiner.host(), joiner.port());
        try {
            Socket plain = Transport.connect(joiner.socketHost(), joiner.port(), ctx.config.connectTimeout(), ctx.abort,
                    ctx.nanos, ctx.config.stream().sockOpts());
            Socket s;
            try {
                WireSecurity security = ctx.facts().get(WireSecurity.class);
                s = security.connected(ctx, plain, joiner.socketHost(), PeerName.expected(security.settings(),
                        RemoteAuth.parse(System.getenv("WSREP_SST_OPT_REMOTE_AUTH")), joiner.host()),
                        ctx.config.connectTimeout(), "backup", "transfer 2 (the backup)");
            } catch (SstException e) {
                ctx.abort.unregister(plain);
                Transport.closeQuietly(plain);
                throw e;
            }
            long started = ctx.clock.getAsLong();
            Command backup = command(ctx, work, tmp);
            long logFrom = org.sstorchestrator.states.Failures.sizeOf(ctx.backupLog());
            ChildProcesses.Streaming child = ctx.children.stream(backup);
            AtomicLong counter = new AtomicLong();
            long bytes = 0;
            SstException copyFailure = null;
            Long total = ctx.facts().get(Estimate.class).total();
            RateLimiter limit = rateLimit(ctx);
            Pipeline pipeline = limit == null ? ctx.pipeline : ctx.pipeline.withOutermost(limit.layer());
            CountingOutputStream wire = new CountingOutputStream(s.getOutputStream());
            OutputStream out = null;
            try (ProgressLines lines = ProgressLines.open(ctx.config.stream().progress(), ctx.datadir, "donor", total,
                    ctx.nanos)) {
                out = pipeline.sending(wire);
                bytes = Copier.copy(child.stdout(), out, ctx.config.stall(), Copier.Network.SINK, "sending the backup",
                        ctx.abort, counter, n -> {
                            ctx.progress(n, total);
                            lines.sample(n);
                        }, ctx.nanos);
                finish(out, ctx);
                out = null;
                lines.finish(bytes);
            } catch (SstException e) {
                copyFailure = e;
                org.sstorchestrator.states.exec.Abort.killChildren();
            } catch (IOException e) { // a layer could not start (its codec, its child)
                copyFailure = new SstException(ExitCode.EPIPE, "starting the stream to the joiner (" + pipeline.describe()
                        + ") failed: " + e.getMessage(), e);
                org.sstorchestrator.states.exec.Abort.killChildren();
            } finally {
                Transport.closeQuietly(out);
                ctx.abort.unregister(s);
                ctx.abort.unregister(plain);
                Transport.closeQuietly(s);
            }
            if (!ctx.pipeline.layers().isEmpty()) {
                ctx.recorder.attribute("backup_wire_bytes", Long.toString(wire.count()));
            }
            int code = child.finish();
            if (copyFailure != null || code != 0 || ctx.abort.triggered()) {
                ctx.recorder.transfer("backup", counter.get(), started, ctx.clock.getAsLong(), false);
            }
            ctx.abort.check();
            if (copyFailure != null) {
                throw copyFailure;
            }
            if (code != 0 && org.sstorchestrator.states.Failures.childRanOutOfSpace(ctx.backupLog(), logFrom)) {
                throw new SstException(ExitCode.ENOSPC, "mariadb-backup --backup ran out of disk space (exit code " + code
                        + "; its temporary files go to " + tmp + "); " + ChildLog.summarize(ctx.backupLog(), logFrom)
                        .describe() + "; free space there or set tmpdir");
            }
            if (code != 0) {
                throw StockLine.BACKUP_FAILED.failure(ExitCode.EINVAL, "; " + ChildLog.summarize(ctx.backupLog(), logFrom)
                        .describe(), code, ctx.backupLog());
            }
            ctx.recorder.transfer("backup", bytes, started, ctx.clock.getAsLong());
            LOG.info("Sent {} bytes to the joiner at {}:{}", bytes, joiner.host(), joiner.port());
            return OK;
        } finally {
            FileTree.deleteQuietly(work);
            FileTree.deleteQuietly(tmp);
        }
    }

    /**
     * {@code [sst] rlimit}: paced on the wire, next to the socket (after the compressor, where the
     * stock script's pv sits), and recorded with the run for sst-admin.
     */
    private static RateLimiter rateLimit(SstContext ctx) {
        long rate = ctx.config.stream().rateLimit();
        if (rate <= 0) {
            return null;
        }
        StockLine.RATE_LIMITING.logWith(" (" + rate + " bytes a second, paced by ours on the wire; pv is not run)",
                ctx.config.stream().rateLimitSetting());
        ctx.recorder.attribute("rate_limit", Long.toString(rate));
        return RateLimiter.realTime(rate);
    }

    /** Closes the layers, which ends a compressor's frame; a failure there is the transfer's (32). */
    private static void finish(OutputStream out, SstContext ctx) {
        try {
            out.close();
        } catch (IOException e) {
            ctx.abort.check();
            throw new SstException(ExitCode.EPIPE, "sending the end of the backup to the joiner failed: " + e.getMessage(), e);
        }
    }

    private static Command command(SstContext ctx, Path work, Path tmp) {
        List<String> rest = new ArrayList<>();
        rest.add("--backup");
        rest.add("--no-version-check"); // as the stock script: no call home from the donor
        rest.addAll(ctx.parallel(ctx.sizing.backupParallel(), "the backup"));
        rest.addAll(ctx.logCopyInterval()); // before inno-backup-opts, which may say otherwise and then wins
        rest.add("--databases-exclude=lost+found");
        rest.addAll(ctx.config.stream().backupCompression()); // [sst]/[mariabackup] compress: qpress, as stock
        rest.addAll(ctx.config.backupOptions());
        rest.add("--tmpdir=" + tmp);
        rest.addAll(ctx.innoExtra());
        rest.addAll(MariadbBackup.serverConnection(ctx));
        ctx.config.extraPort().ifPresent(StockLine.EXTRA_PORT::log); // use-extra with a thread pool: as stock
        rest.addAll(ctx.useMemory());
        rest.add("--galera-info");
        rest.add("--stream=mbstream");
        rest.add("--target-dir=" + work);
        rest.add("--datadir=" + ctx.datadir);
        rest.addAll(ctx.mysqldArgs());
        Command c = Command.of(ctx.facts().get(Binaries.class).mariadbBackup(), MariadbBackup.withDefaults(ctx, rest))
                .withLog(ctx.backupLog())
                .withSyslog("innobackupex-backup")
                .inDirectory(ctx.datadir);
        return MariadbBackup.withPassword(ctx, c);
    }
}
