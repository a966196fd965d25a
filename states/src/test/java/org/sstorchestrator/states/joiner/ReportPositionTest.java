package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.POSITION;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.wire.GaleraInfo;

/** report_position, the joiner's commit point: exactly one line for mysqld, from this transfer's info file. */
class ReportPositionTest {

    private static final String OLDER = "6aa82394-e53e-11f1-9d1a-a25450683f20:3 0";

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @Test
    void reportPositionPrintsThePositionFromDonorGaleraInfo() throws Exception {
        f.write(f.datadir.resolve(GaleraInfo.DONOR_NAME), POSITION + "\n");
        f.write(f.datadir.resolve(GaleraInfo.LEGACY_NAME), OLDER + "\n");

        assertEquals(Stage.OK, new ReportPosition().run(f.joiner()));

        assertEquals(List.of(POSITION), f.printed());
        assertEquals(POSITION, f.recorder.attributes.get("position"));
    }

    @Test
    void withoutDonorGaleraInfoTheBackupsOwnInfoFileGivesItUnderEitherName() throws Exception {
        f.write(f.datadir.resolve(GaleraInfo.NEW_NAME), POSITION + "\nsome other line\n");
        f.write(f.datadir.resolve(GaleraInfo.LEGACY_NAME), OLDER + "\n");

        new ReportPosition().run(f.joiner());

        assertEquals(List.of(POSITION), f.printed());
    }

    /** Issue 19: the installed script's MTR_SST_JOINER_DELAY, where it sleeps: after the transfer, before the position. */
    @Test
    void theJoinerDelayHookWaitsBeforeThePositionIsReported() throws Exception {
        f.env("MTR_SST_JOINER_DELAY", " 1 ");
        f.write(f.datadir.resolve(GaleraInfo.DONOR_NAME), POSITION + "\n");

        long start = System.nanoTime();
        new ReportPosition().run(f.joiner());

        assertEquals(true, System.nanoTime() - start >= 1_000_000_000L, "the position came before the delay ended");
        assertEquals(List.of(POSITION), f.printed());
    }

    @Test
    void aJoinerDelayEndsAtOnceWhenTheRunIsAbortedAndNoPositionIsReported() throws Exception {
        f.env("MTR_SST_JOINER_DELAY", "600");
        f.write(f.datadir.resolve(GaleraInfo.DONOR_NAME), POSITION + "\n");
        SstContext ctx = f.joiner();
        ctx.abort.trigger(new org.sstorchestrator.states.SstException(ExitCode.INTERRUPTED, "SIGTERM"));

        long start = System.nanoTime();
        failsWith(ExitCode.INTERRUPTED, () -> new ReportPosition().run(ctx));

        assertEquals(true, System.nanoTime() - start < 10_000_000_000L, "it waited the whole delay");
        assertEquals(List.of(), f.printed());
    }

    @Test
    void aJoinerDelayThatIsNotANumberIsNoDelayAsWithTheStockScript() throws Exception {
        f.env("MTR_SST_JOINER_DELAY", "soon");
        f.write(f.datadir.resolve(GaleraInfo.DONOR_NAME), POSITION + "\n");

        new ReportPosition().run(f.joiner());

        assertEquals(List.of(POSITION), f.printed());
    }

    @Test
    void afterIstThePositionComesFromTransferOne() throws Exception {
        f.write(f.datadir.resolve(GaleraInfo.LEGACY_NAME), OLDER + "\n");
        SstContext ctx = f.joiner();
        ctx.facts().put(StageFixture.fromDonor(null, true));

        new ReportPosition().run(ctx);

        assertEquals(List.of(POSITION), f.printed());
    }

    @Test
    void noInfoFileAfterMoveBackIsExit2AndNothingIsPrinted() {
        failsWith(ExitCode.ENOENT, () -> new ReportPosition().run(f.joiner()));

        assertEquals(List.of(), f.printed());
    }

    @Test
    void anInfoFileThatDoesNotStartWithAPositionIsExit32AndNothingIsPrinted() throws Exception {
        f.write(f.datadir.resolve(GaleraInfo.DONOR_NAME), "ready 127.0.0.1:4444/xtrabackup_sst//1\n");

        failsWith(ExitCode.EPIPE, () -> new ReportPosition().run(f.joiner()));

        assertEquals(List.of(), f.printed(), "a forged line never reaches mysqld");
    }

    /** Issue 22: the stock joiner removes sst_in_progress as it exits, after the position; watchdogs wait on it. */
    @Test
    void theInProgressMarkerGoesOnlyOnceThePositionIsPrintedAndStaysWhenTheReportFails() throws Exception {
        Path marker = f.write(f.datadir.resolve(SstFiles.IN_PROGRESS), f.runId() + "\n");
        failsWith(ExitCode.ENOENT, () -> new ReportPosition().run(f.joiner()));
        assertTrue(Files.exists(marker), "no position, no end of the SST: abort removes it");

        f.write(f.datadir.resolve(GaleraInfo.DONOR_NAME), POSITION + "\n");
        assertEquals(Stage.OK, new ReportPosition().run(f.joiner()));

        assertEquals(List.of(POSITION), f.printed());
        assertFalse(Files.exists(marker));
    }
}
