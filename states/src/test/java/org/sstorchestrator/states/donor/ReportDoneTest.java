package org.sstorchestrator.states.donor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.run.SstContext;

/** report_done, the donor's commit point and last act: exactly {@code done <gtid>}, nothing else. */
class ReportDoneTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @Test
    void reportDonePrintsDoneWithTheGtidMysqldGaveAndNothingElse() throws Exception {
        assertEquals(Stage.OK, new ReportDone().run(f.donor(4444)));

        assertEquals(List.of("done " + StageFixture.GTID), f.printed());
    }

    @Test
    void withoutAGtidNothingIsPrintedAndTheRunFailsWith22() {
        SstContext ctx = f.context("--role", "donor", "--address", "127.0.0.1:4444/xtrabackup_sst//1", "--datadir",
                f.datadir.toString());

        failsWith(ExitCode.EINVAL, () -> new ReportDone().run(ctx));

        assertEquals(List.of(), f.printed());
    }
}
