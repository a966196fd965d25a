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

    /**
     * The backup stream's bytes on the wire, counted off the socket before any decompressor: the
     * run records them apart only when the stream has layers (a compressor); without one they
     * are the transfer's own bytes. Under TLS they are the bytes inside TLS's records.
     */
    static Optional<Long> wireBytes(RunDetail run) {
        String recorded = run.attributes().get("backup_wire_bytes");
        return recorded != null ? Optional.of(Long.parseLong(recorded.trim())) : backup(run).map(RunDetail.Transfer::bytes);
    }

    /**
     * What each side recorded about the wire (TLS and the backup's session, compression, rate
     * limit): the profile as ours applied it.
     */
    static String wireSetup(RunDetail joiner, RunDetail donor) {
        return "joiner " + recorded(joiner, "security", "tls.backup", "decompressor") + "; donor "
                + recorded(donor, "security", "compressor", "rate_limit");
    }

    private static String recorded(RunDetail run, String... names) {
        StringBuilder out = new StringBuilder();
        for (String n : names) {
            String v = run.attributes().get(n);
            if (v != null) {
                out.append(out.isEmpty() ? "" : ", ").append(n).append('=').append(v);
            }
        }
        return out.isEmpty() ? "(nothing recorded)" : out.toString();
    }

    /** When the run ended, in epoch ms: its start plus its recorded duration. */
    static long endedMs(RunDetail run) {
        return run.summary().startedMs() + run.summary().durationMs();
    }
}
