package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.engine.Transition;
import org.sstorchestrator.engine.TransitionTable;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * Fails when a declared transition of either table is never taken by a real run of the
 * integration tests, or when a run took one the tables do not declare. It reads the ledger
 * the other ITs wrote from their runs' histories ({@link TransitionLedger}), so it runs in a
 * failsafe execution of its own after them; in a run of selected ITs ({@code -Dit.test=...})
 * it skips itself (see the pom's selected-its profile).
 */
class TransitionCoverageIT {

    @Test
    void everyDeclaredTransitionOfBothTablesIsTakenByARealRunAndNoUndeclaredOneIs() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("transition.coverage.partial"),
                "only selected ITs ran (-Dit.test): transition coverage is judged on a run of the whole suite");
        Set<String> itClasses = integrationTestClasses();
        Set<String> contributors = new TreeSet<>();
        Set<String> taken = new TreeSet<>();
        if (Files.isDirectory(TransitionLedger.DIR)) {
            try (Stream<Path> files = Files.list(TransitionLedger.DIR)) {
                for (Path f : files.toList()) {
                    contributors.add(f.getFileName().toString().replace(".txt", ""));
                    taken.addAll(Files.readAllLines(f));
                }
            }
        }
        assertEquals(itClasses, contributors, "every IT class records the transitions its runs took in "
                + TransitionLedger.DIR + " (run the whole suite; -Dit.test=... skips this check)");

        Set<String> declared = new TreeSet<>();
        for (TransitionTable t : new TransitionTable[] {SstMachines.joinerTable(), SstMachines.donorTable()}) {
            for (Transition tr : t.transitions()) {
                declared.add(t.name() + " " + tr.from() + " " + tr.on());
            }
        }
        Set<String> never = new TreeSet<>(declared);
        never.removeAll(taken);
        Set<String> undeclared = new TreeSet<>(taken);
        undeclared.removeAll(declared);
        assertTrue(never.isEmpty(), "declared but never taken by any IT run (role stage event):\n  "
                + String.join("\n  ", never));
        assertTrue(undeclared.isEmpty(), "taken but not declared:\n  " + String.join("\n  ", undeclared));
    }

    private static Set<String> integrationTestClasses() throws IOException {
        Path dir;
        try {
            dir = Path.of(TransitionCoverageIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .resolve(TransitionCoverageIT.class.getPackageName().replace('.', '/'));
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("IT.class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> !n.equals(TransitionCoverageIT.class.getSimpleName()))
                    .forEach(out::add);
        }
        return out;
    }
}
