package org.sstorchestrator.states;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * The exit-code table and the state diagrams in docs/ are generated from code; these fail
 * when the checked-in copy is stale. Regenerate with -Dregenerate.docs=true.
 */
class GeneratedDocsTest {

    private static final Path DOCS = Path.of("..", "docs");

    private static void check(String file, String generated) throws IOException {
        Path p = DOCS.resolve(file);
        if (Boolean.getBoolean("regenerate.docs")) {
            Files.writeString(p, generated);
        }
        assertEquals(generated, Files.exists(p) ? Files.readString(p) : "(missing)",
                "docs/" + file + " is stale: run mvn test -pl states -Dregenerate.docs=true");
    }

    @Test
    void exitCodeTableMatchesTheEnum() throws IOException {
        check("exit-codes.md", ExitCode.markdownTable());
    }

    @Test
    void optionTableMatchesTheCatalogue() throws IOException {
        check("options.md", org.sstorchestrator.states.config.Opt.markdownTable());
    }

    @Test
    void theStockLineCatalogueMatchesTheCode() throws IOException {
        check("stock-lines.md", org.sstorchestrator.states.stock.StockLineCatalogue.markdown());
    }

    @Test
    void stateDiagramsMatchTheTransitionTables() throws IOException {
        check("state-machines.md", SstMachines.diagramsMarkdown());
    }

    @Test
    void everyStateOfBothMachinesHasItsStage() {
        for (Role r : Role.values()) {
            var m = SstMachines.of(r);
            for (String s : m.table().states()) {
                if (!m.table().isTerminal(s)) {
                    assertEquals(true, m.stages().containsKey(s), r + " " + s);
                }
            }
        }
    }
}
