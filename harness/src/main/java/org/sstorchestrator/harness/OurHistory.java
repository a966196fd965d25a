package org.sstorchestrator.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.persistence.RunFilter;
import org.sstorchestrator.persistence.RunSummary;

/** Our SSTs' own records of a join, read through the product's read-only history access. */
final class OurHistory {

    private OurHistory() {
    }

    /**
     * The run of {@code role} in {@code historyDir} that started at or after {@code sinceMs}:
     * the donor's history holds a run for every join of ours, the one of this join is the newest.
     */
    static RunDetail run(Path historyDir, String role, long sinceMs) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(historyDir)) {
            HistoryQueries q = new HistoryQueries(db);
            List<RunSummary> runs = q.history(new RunFilter(role, null, sinceMs, 1));
            if (runs.isEmpty()) {
                throw new IllegalStateException("no " + role + " run in " + historyDir + " since the joiner started");
            }
            RunDetail d = q.detail(runs.get(0).id());
            if (!d.summary().outcome().equals("completed")) {
                throw new IllegalStateException(role + " run " + d.summary().id() + " in " + historyDir + " is "
                        + d.summary().outcome() + ", not completed, though the joiner is Synced");
            }
            return d;
        }
    }

    /** The backup stream (transfer 2), whole; empty if the run has none recorded. */
    static Optional<RunDetail.Transfer> backup(RunDetail run) {
        return run.transfers().stream().filter(t -> t.what().equals("backup") && !t.cutShort()).findFirst();
    }

    /** When the run ended, in epoch ms: its start plus its recorded duration. */
    static long endedMs(RunDetail run) {
        return run.summary().startedMs() + run.summary().durationMs();
    }
}
