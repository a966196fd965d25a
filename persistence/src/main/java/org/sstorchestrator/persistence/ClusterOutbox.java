package org.sstorchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The runs of this node that wait to be published to a cluster table ([sst] cluster-history,
 * issue 21), and what publishing did. Nothing is copied: a run waits while it has ended (or
 * was interrupted) and no {@code cluster_publication} row says the table got it with the
 * outcome it has now; its row is composed from the history when it is published. So a
 * joiner's SST, which cannot reach its server, writes nothing more for it; a run that a
 * resume finishes later waits again; and publishing twice writes nothing new.
 */
public final class ClusterOutbox {

    private final Connection c;
    private final HistoryQueries queries;
    private final H2RunJournal journal;

    public ClusterOutbox(HistoryDatabase db, LongSupplier clock) {
        this.c = db.connection();
        this.queries = new HistoryQueries(db);
        this.journal = new H2RunJournal(db, clock);
    }

    /** Why the last attempt to publish to a table failed, for doctor and publish. */
    public record Failure(String reason, String detail, int pending, long atMs, String byRun) {
    }

    /**
     * The runs {@code target} has not had as they are now, oldest first. A run still running
     * waits for its end; one whose owner is gone goes as interrupted.
     */
    public List<RunDetail> pending(String target) {
        return pending(target, Integer.MAX_VALUE);
    }

    /** As {@link #pending(String)}, the oldest {@code limit} of them. */
    public List<RunDetail> pending(String target, int limit) {
        List<String> ids = new ArrayList<>();
        String sql = "SELECT r.id FROM run r WHERE NOT EXISTS (SELECT 1 FROM cluster_publication p"
                + " WHERE p.run_id = r.id AND p.target = ? AND p.outcome ="
                + " COALESCE((SELECT e.outcome FROM run_end e WHERE e.run_id = r.id), 'interrupted'))"
                + " ORDER BY r.started_ms, r.id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read the run history: " + e.getMessage(), e);
        }
        List<RunDetail> out = new ArrayList<>();
        for (String id : ids) {
            if (out.size() >= limit) {
                break;
            }
            RunDetail d = queries.detail(id);
            if (!d.summary().outcome().equals("running")) {
                out.add(d);
            }
        }
        return out;
    }

    /** {@code target} now holds the run's row, with {@code outcome}. */
    public void published(String runId, String target, String outcome) {
        journal.clusterPublished(runId, target, outcome);
    }

    /** An attempt that failed; {@code byRun} is the SST whose end tried, null for sst-admin. */
    public void failed(String target, String byRun, String reason, String detail, int pending) {
        journal.clusterPublishFailed(target, byRun, reason, detail, pending);
    }

    /** The newest failed attempt on {@code target}, if it is newer than its newest publication. */
    public Optional<Failure> lastFailure(String target) {
        String sql = "SELECT f.reason, f.detail, f.pending, f.at_ms, f.by_run FROM cluster_publish_failure f"
                + " WHERE f.target = ? AND f.at_ms >= COALESCE((SELECT MAX(p.at_ms) FROM cluster_publication p"
                + " WHERE p.target = ?), 0) ORDER BY f.id DESC LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, target);
            ps.setString(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Failure(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                        rs.getString(5))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read the run history: " + e.getMessage(), e);
        }
    }
}
