package org.sstorchestrator.states.donor;

import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Pattern;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.layout.LogArchive;
import org.sstorchestrator.states.mariabackup.MariadbBackup;
import org.sstorchestrator.states.args.RemoteAuth;
import org.sstorchestrator.states.args.SstAddress;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.transfer.Transfers;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.stock.StockLine;

/**
 * Checks everything that comes from the joiner (its address, every field of it, and its
 * remote auth) against strict grammars, the TLS files, and that the tools are here, before
 * any connection.
 */
public final class DonorPreflight implements Stage<SstContext> {

    private static final Pattern GTID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}:-?[0-9]{1,19}");

    @Override
    public String run(SstContext ctx) {
        if (!Files.isDirectory(ctx.datadir)) {
            throw new SstException(ExitCode.ENOENT, "--datadir '" + ctx.datadir + "' does not exist or is not a directory");
        }
        SstAddress joiner = ctx.args.address();
        RemoteAuth.parse(System.getenv("WSREP_SST_OPT_REMOTE_AUTH"));
        String gtid = ctx.args.require("gtid");
        if (!GTID.matcher(gtid).matches()) {
            throw new SstException(ExitCode.EINVAL, "--gtid '" + SstAddress.printable(gtid) + "' is not uuid:seqno");
        }
        ctx.args.intOption("gtid-domain-id", 0);
        boolean bypass = ctx.args.flag("bypass");
        if (!bypass && joiner.sstVersion() == null) {
            StockLine.JOINER_TOO_OLD.log();
            throw StockLine.JOINER_NOT_SUPPORTED.failure(ExitCode.NO_SST_VERSION, ": the joiner's address '"
                    + joiner.readyForm() + "' carries no sst_ver (it is too old for backup locks); upgrade it");
        }
        ctx.facts().put(Transfers.prepare(ctx)); // TLS files checked before any connection
        ctx.facts().put(new Binaries(Binaries.mariadbBackup(ctx.tools), java.util.Optional.empty()));
        Transfers.checkStream(ctx);
        ctx.facts().put(SstLock.acquire(ctx.datadir, Duration.ofSeconds(30), ctx.nanos));
        LogArchive.archive(ctx.config, ctx.children.syslog().isPresent(), ctx.datadir, ctx.clock.getAsLong(),
                ctx.recorder); // on every run, IST included, as the stock script does
        if (!bypass) {
            ctx.recorder.attribute("backup_log", ctx.backupLog().toString());
        }
        return OK;
    }

    /** The info file name the joiner of the same version expects: 11.1 renamed it. */
    static String infoFileName(java.util.Optional<String> backupVersion) {
        return backupVersion.map(MariadbBackup::usesNewInfoName).orElse(false)
                ? org.sstorchestrator.states.wire.GaleraInfo.NEW_NAME
                : org.sstorchestrator.states.wire.GaleraInfo.LEGACY_NAME;
    }
}
