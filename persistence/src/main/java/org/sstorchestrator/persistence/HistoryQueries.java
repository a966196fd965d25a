package org.sstorchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Read-only queries over the run history. */
public final class HistoryQueries {

    private final Connection c;

    public HistoryQueries(HistoryDatabase db) {
        this.c = db.connection();
    }

    /** Runs newest first; {@code role} may be null for all. */
    public List<RunSummary> history(String role, int limit) {
        String sql = "SELECT r.id, r.role, COALESCE(r.peer, (SELECT a.val FROM run_attribute a"
                + "   WHERE a.run_id = r.id AND a.name = 'peer')),"
                + " r.started_ms, r.pid, r.pid_started_ms, e.ended_ms, e.outcome, e.exit_code,"
                // the stage that failed, else the last one reached
                + " COALESCE((SELECT ev.stage FROM event ev WHERE ev.run_id = r.id AND ev.kind = 'failed'"
                + "   ORDER BY ev.id LIMIT 1),"
                + "  (SELECT ev.stage FROM event ev WHERE ev.run_id = r.id ORDER BY ev.id DESC LIMIT 1)),"
                + " (SELECT MAX(ev.at_ms) FROM event ev WHERE ev.run_id = r.id),"
                + " (SELECT COALESCE(SUM(t.bytes), 0) FROM transfer t WHERE t.run_id = r.id)"
                + " FROM run r LEFT JOIN run_end e ON e.run_id = r.id"
                + (role == null ? "" : " WHERE r.role = ?")
                + " ORDER BY r.started_ms DESC, r.id LIMIT ?";
        List<RunSummary> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (role != null) {
                ps.setString(i++, role);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(summary(rs));
                }
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read the run history: " + e.getMessage(), e);
        }
        return out;
    }

    private static RunSummary summary(ResultSet rs) throws SQLException {
        long started = rs.getLong(4);
        long pid = rs.getLong(5);
        Long pidStarted = (Long) rs.getObject(6, Long.class);
        Long ended = rs.getObject(7, Long.class);
        String outcome = rs.getString(8);
        Integer exitCode = rs.getObject(9, Integer.class);
        String lastStage = rs.getString(10);
        Long lastEvent = rs.getObject(11, Long.class);
        Long duration;
        if (outcome == null) {
            outcome = OwnerLiveness.isAlive(pid, pidStarted) ? "running" : "interrupted";
            duration = outcome.equals("running") ? null : lastEvent == null ? null : lastEvent - started;
        } else {
            duration = ended - started;
        }
        return new RunSummary(rs.getString(1), rs.getString(2), rs.getString(3), started, duration, outcome,
                lastStage, rs.getLong(12), exitCode);
    }

    /** Events of one run in order, for checks and {@code inspect}. */
    public List<String> stageEvents(String runId) {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT stage, kind, outcome FROM event WHERE run_id = ? ORDER BY id")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String outcome = rs.getString(3);
                    out.add(rs.getString(1) + ":" + rs.getString(2)
                            + (outcome == null || outcome.equals("ok") ? "" : ":" + outcome));
                }
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read run " + runId + ": " + e.getMessage(), e);
        }
        return out;
    }
}
