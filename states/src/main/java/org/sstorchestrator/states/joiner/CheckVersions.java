package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.mariabackup.DonorVersions;
import org.sstorchestrator.states.mariabackup.MariadbBackup;
import org.sstorchestrator.states.run.SstContext;

/**
 * The version guard (issue 22): before anything is wiped, the donor's server and mariadb-backup
 * versions are judged against this node's mariadb-backup, and a backup it could not prepare (a
 * newer major version) is refused with exit 95, where the stock joiner wipes itself and then
 * fails in prepare (Percona's PXC-851).
 *
 * <p>As a stage, right after transfer 1: a donor running this method announces its versions
 * there, so the refusal comes before plan_space, and so before wipe_early too. A stock donor
 * announces nothing: its versions arrive with the backup, in the info file its mariadb-backup
 * writes last, and {@link #beforePrepare} judges them as prepare begins. In the usual order that
 * is still before the wipe (it comes after prepare); when plan_space found room for the new data
 * only once the old is wiped, a stock donor's versions are known only after that wipe. The
 * backup's own file is read in both cases: it is what made the backup, whatever transfer 1 said.
 */
public final class CheckVersions implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(CheckVersions.class);

    @Override
    public String run(SstContext ctx) throws IOException {
        Optional<byte[]> announced = read(ctx.facts().get(MagicDir.class).dir().resolve(DonorVersions.FILE));
        if (announced.isEmpty()) {
            LOG.info("The donor announced no versions in transfer 1 (the stock script, or an older mariabackup_sm):"
                    + " they are judged from the backup's own info file before prepare");
            return OK;
        }
        DonorVersions v = DonorVersions.parse("transfer 1", announced.get());
        judge(ctx, v);
        ctx.facts().put(v);
        return OK;
    }

    /**
     * Called by prepare before it runs: the versions the backup itself records, judged unless
     * transfer 1 announced the same ones and they were judged already.
     */
    public static void beforePrepare(SstContext ctx) throws IOException {
        Optional<Path> file = SstFiles.firstExisting(ctx.sstDir(), SstFiles.BACKUP_INFO);
        Optional<byte[]> content = file.isPresent() ? read(file.get()) : Optional.empty();
        if (content.isEmpty()) {
            LOG.info("The backup carries no info file ({}): the donor's versions stay unknown", SstFiles.BACKUP_INFO);
            return;
        }
        DonorVersions v = DonorVersions.parse("the backup's " + file.get().getFileName(), content.get());
        Optional<DonorVersions> announced = ctx.facts().find(DonorVersions.class);
        if (announced.isPresent() && announced.get().server().equals(v.server())
                && announced.get().backup().equals(v.backup())) {
            return;
        }
        if (announced.isPresent()) {
            ctx.recorder.note("donor_versions_differ", "transfer 1 announced " + announced.get().describe()
                    + "; the backup records " + v.describe());
        }
        judge(ctx, v);
    }

    /** Records the versions (the first source of each is kept), then refuses a newer major version. */
    private static void judge(SstContext ctx, DonorVersions v) {
        if (!v.known()) {
            return;
        }
        v.server().ifPresent(s -> ctx.recorder.attribute("donor_server_version", s));
        v.backup().ifPresent(b -> ctx.recorder.attribute("donor_backup_version", b));
        ctx.recorder.attribute("donor_versions_from", v.from());
        Optional<String> own = MariadbBackup.version(ctx);
        own.ifPresent(o -> ctx.recorder.attribute("backup_version", o));
        LOG.info("Donor: {} (from {}); this node: mariadb-backup {}", v.describe(), v.from(), own.orElse("unknown"));
        own.ifPresent(o -> v.refuseNewerThan(o, ctx.facts().has(WipeBegan.class)));
    }

    /** A regular file of at most {@link DonorVersions#MAX_BYTES} (it comes from the other node), else empty. */
    private static Optional<byte[]> read(Path p) throws IOException {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(in.readNBytes(DonorVersions.MAX_BYTES));
        }
    }
}
