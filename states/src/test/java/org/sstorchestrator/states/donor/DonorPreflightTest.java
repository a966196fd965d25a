package org.sstorchestrator.states.donor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.run.SstContext;

/** The donor's preflight: everything that came from the joiner passes its grammar before any connection. */
class DonorPreflightTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private Path backup;

    @BeforeEach
    void fixture() throws Exception {
        backup = f.standIn("mariadb-backup");
    }

    private SstContext donorTo(String address, String... extra) {
        List<String> argv = new java.util.ArrayList<>(List.of("--role", "donor", "--address", address, "--datadir",
                f.datadir.toString(), "--gtid", StageFixture.GTID, "--gtid-domain-id", "0"));
        argv.addAll(List.of(extra));
        return f.context(argv.toArray(String[]::new));
    }

    private void theDatadirWasNotTaken() {
        assertFalse(Files.exists(f.datadir.resolve(SstLock.FILE)));
    }

    @Test
    void donorPreflightFindsMariadbBackupTakesTheDatadirAndNeedsNoMbstream() throws Exception {
        SstContext ctx = f.donor(4444);

        assertEquals(Stage.OK, new DonorPreflight().run(ctx));

        assertEquals(new Binaries(backup, Optional.empty()), ctx.facts().get(Binaries.class));
        assertTrue(ctx.facts().has(SstLock.class));
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(f.datadir.resolve(SstLock.FILE)).strip());
        assertEquals(ctx.backupLog().toString(), f.recorder.attributes.get("backup_log"));
        assertEquals(List.of(), f.calls("mariadb-backup"));
        assertEquals(List.of(), f.printed(), "a stray donor line fails the SST");
    }

    @Test
    void aJoinerAddressWithoutSstVersionIsRefusedWith93() {
        SstException e = failsWith(ExitCode.NO_SST_VERSION,
                () -> new DonorPreflight().run(donorTo("127.0.0.1:4444/xtrabackup_sst/")));
        assertTrue(e.getMessage().contains("upgrade it"), e.getMessage());
        theDatadirWasNotTaken();
    }

    @Test
    void inIstBypassAnOldJoinerWithoutSstVersionIsServedAndNoBackupLogIsExpected() throws Exception {
        assertEquals(Stage.OK, new DonorPreflight().run(donorTo("127.0.0.1:4444", "--bypass")));

        assertNull(f.recorder.attributes.get("backup_log"));
    }

    @Test
    void aHostileJoinerAddressIsExit22BeforeTheDatadirIsTaken() {
        failsWith(ExitCode.EINVAL, () -> new DonorPreflight().run(donorTo("127.0.0.1:4444/xtrabackup_sst//1;reboot")));
        theDatadirWasNotTaken();
    }

    @Test
    void aGtidThatIsNotUuidSeqnoIsExit22() {
        SstContext ctx = f.donor(4444, "--gtid", "6aa82394-e53e-11f1-9d1a-a25450683f20:5;id");
        SstException e = failsWith(ExitCode.EINVAL, () -> new DonorPreflight().run(ctx));
        assertTrue(e.getMessage().contains("is not uuid:seqno"), e.getMessage());
        theDatadirWasNotTaken();
    }

    @Test
    void aMissingMariadbBackupIsExit42() throws Exception {
        Files.delete(backup);
        failsWith(ExitCode.TOOL_MISSING, () -> new DonorPreflight().run(f.donor(4444)));
        theDatadirWasNotTaken();
    }

    @Test
    void aMissingDatadirIsExit2() {
        SstContext ctx = f.donor(4444, "--datadir", f.root.resolve("gone").toString());
        failsWith(ExitCode.ENOENT, () -> new DonorPreflight().run(ctx));
    }
}
