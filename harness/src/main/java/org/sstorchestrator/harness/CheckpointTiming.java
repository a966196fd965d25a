package org.sstorchestrator.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;

/**
 * How long one checkpoint takes to commit: the product's own journal on a history in the
 * benchmark's work directory (the same filesystem as the nodes' datadirs), each
 * stage-started and stage-completed write timed on its own. Issue 11's target is 5 ms.
 */
record CheckpointTiming(int commits, double medianMs, double p95Ms, double maxMs) {

    static CheckpointTiming measure(Path work, int stages) throws Exception {
        Path dir = Files.createDirectories(work.resolve("checkpoint-timing"));
        List<Double> ms = new ArrayList<>();
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            H2RunJournal j = new H2RunJournal(db, System::currentTimeMillis);
            j.runStarted(new NewRun("timing", "joiner", dir.toString(), null, ProcessHandle.current().pid(), null,
                    "bench", System.currentTimeMillis()));
            for (int i = 0; i < stages; i++) {
                long t0 = System.nanoTime();
                j.stageStarted("timing", "stage" + i);
                long t1 = System.nanoTime();
                j.stageCompleted("timing", "stage" + i, "ok");
                long t2 = System.nanoTime();
                ms.add((t1 - t0) / 1e6);
                ms.add((t2 - t1) / 1e6);
            }
        } finally {
            Trees.delete(dir);
        }
        List<Double> sorted = ms.stream().sorted().toList();
        return new CheckpointTiming(sorted.size(), Stats.median(sorted), sorted.get((int) Math.floor(0.95 * (sorted.size() - 1))),
                sorted.get(sorted.size() - 1));
    }

    String line() {
        return String.format(Locale.ROOT, "checkpoint commit (stage started/completed, %d commits): median %.2f ms,"
                + " p95 %.2f ms, max %.2f ms (target < 5 ms)", commits, medianMs, p95Ms, maxMs);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commits", commits);
        m.put("median_ms", medianMs);
        m.put("p95_ms", p95Ms);
        m.put("max_ms", maxMs);
        return m;
    }
}
