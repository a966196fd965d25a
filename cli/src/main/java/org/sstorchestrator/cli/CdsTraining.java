package org.sstorchestrator.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.engine.FaultPoints;
import org.sstorchestrator.engine.SpringStatemachineDriver;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.engine.StageRunner;
import org.sstorchestrator.engine.Failure;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.states.SstMachines;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.config.OptionFiles;

/**
 * Run once by the build with -XX:ArchiveClassesAtExit: loads the classes an SST process
 * starts with (logging, H2 and Flyway, Spring Statemachine, the stage tables, picocli) so the
 * launchers can map them from a CDS archive. Start-up is on the SST's critical path twice
 * (joiner, then donor); java-notes.md measured ~1.0 s without and ~0.6 s with AppCDS.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sst-cds-");
        SstLogFormat.install(new PrintStream(java.io.OutputStream.nullOutputStream()), false);
        SstConfig.from(new OptionFiles(Map.of()));
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir.resolve("h"))) {
            H2RunJournal j = new H2RunJournal(db, System::currentTimeMillis);
            j.runStarted(new NewRun("00000000-0000-4000-8000-000000000000", "joiner", "/d", null, 1, 0L, "cds", 0L));
            Map<String, Stage<Void>> stages = new java.util.HashMap<>();
            for (String s : SstMachines.joinerTable().states()) {
                stages.put(s, ctx -> Stage.OK);
            }
            new StageRunner<>(SstMachines.joinerTable(), stages, j, SpringStatemachineDriver.FACTORY,
                    (s, e) -> new Failure(1, e.toString()), FaultPoints.none())
                    .run("00000000-0000-4000-8000-000000000000", null);
        }
        new SstAdmin(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                .execute("history", "--history-dir", dir.resolve("h").toString());
        org.sstorchestrator.states.FileTree.deleteQuietly(dir);
    }
}
