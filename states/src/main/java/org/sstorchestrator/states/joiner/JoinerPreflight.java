package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.layout.LogArchive;
import org.sstorchestrator.states.exec.ParentWatch;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.transfer.Transfers;
import org.sstorchestrator.states.stock.StockLine;

/**
 * Everything that can be checked before anything is changed (promise P5): the datadir, the
 * tools, the address, the TLS files, and that no other SST owns this datadir. Then the
 * in-progress marker. Gives {@link Binaries}, the {@link SstLock} and {@link Transfers}.
 */
public final class JoinerPreflight implements Stage<SstContext> {

    /** Run attributes that keep the directory variables mysqld put in the environment ({@code env.INNODB_DATA_HOME_DIR}). */
    public static final String ENV_ATTRIBUTE = "env.";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JoinerPreflight.class);

    @Override
    public String run(SstContext ctx) throws IOException {
        if (!Files.isDirectory(ctx.datadir)) {
            throw new SstException(ExitCode.ENOENT, "--datadir '" + ctx.datadir + "' does not exist or is not a directory");
        }
        if (!Files.isWritable(ctx.datadir)) {
            throw new SstException(ExitCode.EINVAL, "--datadir '" + ctx.datadir + "' is not writable by this user");
        }
        ctx.args.address();
        ctx.dirs.refuseAnyHoldingTheDatadir();
        ctx.facts().put(Transfers.prepare(ctx)); // TLS files checked before ready: the donor is never contacted
        ctx.facts().put(binaries(ctx));
        Transfers.checkStream(ctx);
        if (ctx.args.parent().isPresent()) {
            ParentWatch.start(ctx.args.parent().value(), ctx.abort);
            ctx.abort.check(); // a parent already gone: stop before taking the datadir, not one stage later
        }
        ctx.facts().put(SstLock.acquire(ctx.datadir, Duration.ofSeconds(30), ctx.nanos));
        layout(ctx);
        Path inProgress = ctx.datadir.resolve(SstFiles.IN_PROGRESS);
        if (Files.exists(inProgress, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            StockLine.STALE_IN_PROGRESS.log(inProgress);
        }
        Files.writeString(inProgress, ctx.runId + "\n");
        LogArchive.archive(ctx.config, ctx.children.syslog().isPresent(), ctx.datadir, ctx.clock.getAsLong(),
                ctx.recorder);
        ctx.recorder.attribute("prepare_log", ctx.prepareLog().toString());
        ctx.recorder.attribute("move_log", ctx.moveLog().toString());
        return OK;
    }

    /**
     * Records where the data goes, and creates the InnoDB/Aria directories that do not exist
     * yet, as the stock joiner does at its start (nothing is removed here). What came from
     * mysqld's environment is recorded too: sst-admin resume has not that environment.
     */
    private static void layout(SstContext ctx) throws IOException {
        ctx.recorder.attribute("layout", ctx.dirs.toString());
        ctx.recorder.attribute("binlog", ctx.binlog.toString());
        ctx.dirs.fromEnvironment().forEach((name, value) -> ctx.recorder.attribute(ENV_ATTRIBUTE + name, value));
        for (java.nio.file.Path made : ctx.dirs.create()) {
            LOG.info("Created the directory '{}'", made);
        }
    }

    /**
     * The joiner's tools, found as preflight finds them; also what a resumed run starts from.
     * mbstream only when the stream is extracted through it ([sst] sst-extractor=mbstream).
     */
    public static Binaries binaries(SstContext ctx) {
        return new Binaries(Binaries.mariadbBackup(ctx.tools),
                ctx.config.builtinExtractor() ? ctx.tools.find("mbstream") : Optional.of(Binaries.mbstream(ctx.tools)));
    }
}
