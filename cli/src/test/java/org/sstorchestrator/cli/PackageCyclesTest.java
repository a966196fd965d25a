package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.cli.cyclefixture.a.UsesB;
import org.sstorchestrator.engine.StageRunner;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.wire.Transfer;

/**
 * Issue 20: no package of ours reaches itself through another, in any module. A dependency runs
 * one way (style.md: config resolves options into values the other packages take; the wire knows
 * nothing of the run), so a new import that closes a loop fails here, naming the references.
 */
class PackageCyclesTest {

    @Test
    void noPackageInAnyModuleDependsOnItselfThroughAnother() throws IOException {
        ImportGraph g = ImportGraph.ofModulesHolding("org/sstorchestrator/", StageRunner.class, Transfer.class,
                ExitCode.class, HistoryDatabase.class, SstAdmin.class, GaleraNode.class);
        for (String module : List.of("engine", "wire", "states", "persistence", "cli", "harness")) {
            assertTrue(g.packages().contains("org/sstorchestrator/" + module), "read " + module + ": " + g.packages());
        }
        List<String> cycles = g.cycles();
        assertEquals(List.of(), cycles, "package cycles:\n" + String.join("\n", cycles));
    }

    @Test
    void theCheckSeesACycle() throws IOException {
        ImportGraph g = ImportGraph.ofModulesHolding("org/sstorchestrator/cli/cyclefixture/", UsesB.class);
        assertEquals(List.of("org.sstorchestrator.cli.cyclefixture.a <-> org.sstorchestrator.cli.cyclefixture.b"
                + "\n    org.sstorchestrator.cli.cyclefixture.a.UsesB -> org.sstorchestrator.cli.cyclefixture.b.UsesA"
                + "\n    org.sstorchestrator.cli.cyclefixture.b.UsesA -> org.sstorchestrator.cli.cyclefixture.a.UsesB"),
                g.cycles());
    }
}
