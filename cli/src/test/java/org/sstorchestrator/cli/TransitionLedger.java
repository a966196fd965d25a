package org.sstorchestrator.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;

/**
 * What the integration tests really did to the state machines, read back from the run
 * histories their SSTs wrote (our own audit record, not a test hook): every stage end is one
 * taken transition, {@code role stage event}. Each IT class appends what its runs took to
 * {@code target/transition-ledger/<class>.txt} before its histories are deleted;
 * {@link TransitionCoverageIT} then compares the ledger with the declared tables.
 */
final class TransitionLedger {

    static final Path DIR = Path.of(System.getProperty("ledger.dir", "target/transition-ledger"));

    private TransitionLedger() {
    }

    /** Appends the transitions of every run in every history under {@code root}. */
    static void record(Class<?> itClass, Path root) {
        Set<String> taken = new TreeSet<>();
        for (Path history : histories(root)) {
            try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
                HistoryQueries q = new HistoryQueries(db);
                for (RunSummary run : q.history(null, Integer.MAX_VALUE)) {
                    for (String event : q.stageEvents(run.id())) {
                        transition(run.role(), event).ifPresent(taken::add);
                    }
                }
            }
        }
        try {
            Files.createDirectories(DIR);
            Files.write(DIR.resolve(itClass.getSimpleName() + ".txt"), taken, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * For an IT class that runs no SST (its histories are written by the test, not by runs):
     * it takes no transition, and says so, so that the coverage check still counts it as heard.
     */
    static void noneTaken(Class<?> itClass) {
        try {
            Files.createDirectories(DIR);
            Files.write(DIR.resolve(itClass.getSimpleName() + ".txt"), List.of(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code stage:completed[:outcome]} → {@code role stage outcome}; {@code stage:failed} → {@code role stage failed}. */
    static java.util.Optional<String> transition(String role, String event) {
        String[] p = event.split(":");
        if (p[1].equals("completed")) {
            return java.util.Optional.of(role + " " + p[0] + " " + (p.length > 2 ? p[2] : "ok"));
        }
        if (p[1].equals("failed")) {
            return java.util.Optional.of(role + " " + p[0] + " failed");
        }
        return java.util.Optional.empty();
    }

    private static List<Path> histories(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> out = new ArrayList<>();
            all.filter(p -> p.getFileName().toString().equals("history.mv.db")).forEach(p -> out.add(p.getParent()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
