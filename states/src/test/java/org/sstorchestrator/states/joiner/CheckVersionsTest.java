package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.mariabackup.DonorVersions;
import org.sstorchestrator.states.run.SstContext;

/**
 * check_versions (issue 22): the versions our donor announces in transfer 1, judged against this
 * node's mariadb-backup before plan_space, and so before either wipe; a stock donor announces
 * none, and prepare judges its backup's own info file instead (PrepareBackupTest).
 */
class CheckVersionsTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private Path magic;
    private Path old;

    @BeforeEach
    void transferOneReceived() throws Exception {
        f.standIn("mariadb-backup", "echo 'mariadb-backup based on MariaDB server 10.11.19-MariaDB debian-linux-gnu (x86_64)' >&2");
        magic = Files.createDirectories(f.tmpdir.resolve("sst-magic-1"));
        old = f.write(f.datadir.resolve("ibdata1"), "the old data");
    }

    private SstContext joiner() {
        SstContext ctx = f.joiner();
        ctx.facts().put(new Binaries(f.bin.resolve("mariadb-backup"), Optional.empty()));
        ctx.facts().put(new MagicDir(magic));
        return ctx;
    }

    @Test
    void aDonorThatAnnouncesANewerMajorVersionIsRefusedWith95BeforeAnythingIsWiped() throws Exception {
        f.write(magic.resolve(DonorVersions.FILE), "server_version = 11.4.5-MariaDB-log\ntool_version = 11.4.5-MariaDB\n");

        SstException e = failsWith(ExitCode.VERSION_SKEW, () -> new CheckVersions().run(joiner()));

        assertTrue(e.getMessage().startsWith("the donor's backup comes from MariaDB 11.4 (server 11.4.5-MariaDB-log,"
                + " mariadb-backup 11.4.5-MariaDB, from transfer 1), a newer major version than this node's mariadb-backup"
                + " 10.11.19-MariaDB, which cannot prepare it; the old data is untouched."), e.getMessage());
        assertEquals("the old data", Files.readString(old));
        assertEquals("11.4.5-MariaDB-log", f.recorder.attributes.get("donor_server_version"));
        assertEquals("11.4.5-MariaDB", f.recorder.attributes.get("donor_backup_version"));
        assertEquals("transfer 1", f.recorder.attributes.get("donor_versions_from"));
        assertEquals("10.11.19-MariaDB", f.recorder.attributes.get("backup_version"));
    }

    @Test
    void aNewerServerBehindAnOlderMariadbBackupIsRefusedToo() throws Exception {
        f.write(magic.resolve(DonorVersions.FILE), "server_version = 11.8.1-MariaDB\ntool_version = 10.11.19-MariaDB\n");

        failsWith(ExitCode.VERSION_SKEW, () -> new CheckVersions().run(joiner()));
    }

    @Test
    void theSameOrAnOlderMajorVersionGoesOnAndIsGivenForPrepare() throws Exception {
        for (String v : List.of("10.11.2-MariaDB", "10.6.20-MariaDB")) {
            f.write(magic.resolve(DonorVersions.FILE), "server_version = " + v + "-log\ntool_version = " + v + "\n");
            SstContext ctx = joiner();

            assertEquals(Stage.OK, new CheckVersions().run(ctx));

            assertEquals(Optional.of(v), ctx.facts().get(DonorVersions.class).backup());
        }
    }

    @Test
    void aStockDonorAnnouncesNothingAndNothingIsAskedOfMariadbBackupYet() throws Exception {
        SstContext ctx = joiner();

        assertEquals(Stage.OK, new CheckVersions().run(ctx));

        assertFalse(ctx.facts().has(DonorVersions.class));
        assertEquals(List.of(), f.calls("mariadb-backup"));
    }

    /** The file comes from the other node: only plain versions count, the rest is ignored. */
    @Test
    void whatIsNotAPlainVersionIsIgnored() throws Exception {
        f.write(magic.resolve(DonorVersions.FILE), "server_version = $(touch /tmp/x)\ntool_version = 99\n"
                + "tool_version = 11.4.5-MariaDB; rm -rf /\nbogus\n");
        SstContext ctx = joiner();

        assertEquals(Stage.OK, new CheckVersions().run(ctx));

        assertFalse(ctx.facts().get(DonorVersions.class).known());
        assertEquals(List.of(), f.calls("mariadb-backup"));
    }
}
