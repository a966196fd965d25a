package org.sstorchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only queries over the run history. */
public final class HistoryQueries {

    /** The newest owner of a run: a resumed run belongs to the process that resumed it. */
    private static final String OWNER_PID = "COALESCE((SELECT o.pid FROM run_owner o WHERE o.run_id = r.id"
            + " ORDER BY o.id DESC LIMIT 1), r.pid)";
    private static final String OWNER_START = "COALESCE((SELECT o.pid_started_ms FROM run_owner o WHERE o.run_id = r.id"
            + " ORDER BY o.id DESC LIMIT 1), r.pid_started_ms)";

    private final Connection c;

    public HistoryQueries(HistoryDatabase db) {
        this(db.connection());
    }

    HistoryQueries(Connection c) {
        this.c = c;
    }

    /** Runs newest first; {@code role} may be null for all. */
    public List<RunSummary> history(String role, int limit) {
        return history(new RunFilter(role, null, null, limit));
    }

    /**
     * Runs newest first. The runs are chosen first and only then joined with their events,
     * so the cost follows the limit, not the size of the history.
     */
    public List<RunSummary> history(RunFilter f) {
        boolean live = "running".equals(f.outcome()) || "interrupted".equals(f.outcome());
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (f.role() != null) {
            where.append(" AND r.role = ?");
            params.add(f.role());
        }
        if (f.sinceMs() != null) {
            where.append(" AND r.started_ms >= ?");
            params.add(f.sinceMs());
        }
        if (f.outcome() != null) {
            where.append(live ? " AND NOT EXISTS (SELECT 1 FROM run_end x WHERE x.run_id = r.id)"
                    : " AND EXISTS (SELECT 1 FROM run_end x WHERE x.run_id = r.id AND x.outcome = ?)");
            if (!live) {
                params.add(f.outcome());
            }
        }
        String chosen = "SELECT r.* FROM run r" + where + " ORDER BY r.started_ms DESC, r.id"
                + (live ? "" : " LIMIT " + Math.max(0, f.limit()));
        List<RunSummary> out = new ArrayList<>();
        for (RunSummary s : summaries(chosen, params)) {
            if (!live || s.outcome().equals(f.outcome())) {
                out.add(s);
            }
        }
        return live && out.size() > f.limit() ? out.subList(0, f.limit()) : out;
    }

    /** Summaries of the runs {@code chosen} selects, newest first. */
    private List<RunSummary> summaries(String chosen, List<Object> params) {
        String sql = "SELECT r.id, r.role, COALESCE(r.peer, (SELECT a.val FROM run_attribute a"
                + "   WHERE a.run_id = r.id AND a.name = 'peer')),"
                + " r.started_ms, " + OWNER_PID + ", " + OWNER_START + ", e.ended_ms, e.outcome, e.exit_code,"
                // the stage that failed, else the last one reached
                + " COALESCE((SELECT ev.stage FROM event ev WHERE ev.run_id = r.id AND ev.kind = 'failed'"
                + "   ORDER BY ev.id LIMIT 1),"
                + "  (SELECT ev.stage FROM event ev WHERE ev.run_id = r.id ORDER BY ev.id DESC LIMIT 1)),"
                + " (SELECT MAX(ev.at_ms) FROM event ev WHERE ev.run_id = r.id),"
                + " (SELECT COALESCE(SUM(t.bytes), 0) FROM transfer t WHERE t.run_id = r.id)"
                + " FROM (" + chosen + ") r LEFT JOIN run_end e ON e.run_id = r.id"
                + " ORDER BY r.started_ms DESC, r.id";
        List<RunSummary> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
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
        Long pidStarted = rs.getObject(6, Long.class);
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

    /**
     * A run id from what an operator typed: "last", a full id, or an unambiguous prefix.
     */
    public String resolveRunId(String given) {
        String sql = "last".equals(given) ? "SELECT id FROM run ORDER BY started_ms DESC, id LIMIT 2"
                : "SELECT id FROM run WHERE id LIKE ? ORDER BY started_ms DESC LIMIT 2";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (!"last".equals(given)) {
                if (!given.matches("[0-9a-f-]{1,36}")) {
                    throw new HistoryException("'" + given + "' is not a run id (hex digits and '-', or 'last')");
                }
                ps.setString(1, given + "%");
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                if (ids.isEmpty()) {
                    throw new HistoryException("no run '" + given + "' in this history");
                }
                if (ids.size() > 1 && !"last".equals(given)) {
                    throw new HistoryException("run id prefix '" + given + "' is ambiguous; give more digits");
                }
                return ids.get(0);
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read the run history: " + e.getMessage(), e);
        }
    }

    public RunDetail detail(String runId) {
        try {
            RunSummary summary = summaries("SELECT r.* FROM run r WHERE r.id = ?", List.of(runId)).stream().findFirst()
                    .orElseThrow(() -> new HistoryException("no run '" + runId + "' in this history"));
            String datadir = null;
            String version = null;
            try (ResultSet rs = query("SELECT datadir, tool_version FROM run WHERE id = ?", runId)) {
                if (rs.next()) {
                    datadir = rs.getString(1);
                    version = rs.getString(2);
                }
            }
            List<RunDetail.Event> events = new ArrayList<>();
            try (ResultSet rs = query("SELECT stage, kind, outcome, at_ms, error_code, message FROM event"
                    + " WHERE run_id = ? ORDER BY id", runId)) {
                while (rs.next()) {
                    events.add(new RunDetail.Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getObject(5, Integer.class), rs.getString(6)));
                }
            }
            List<RunDetail.Child> children = new ArrayList<>();
            try (ResultSet rs = query("SELECT stage, argv, exit_code, started_ms, ended_ms, log_path FROM child_process"
                    + " WHERE run_id = ? ORDER BY id", runId)) {
                while (rs.next()) {
                    children.add(new RunDetail.Child(rs.getString(1), rs.getString(2), rs.getObject(3, Integer.class),
                            rs.getLong(4), rs.getLong(5), rs.getString(6)));
                }
            }
            List<RunDetail.Transfer> transfers = new ArrayList<>();
            try (ResultSet rs = query("SELECT stage, what, bytes, started_ms, ended_ms, complete FROM transfer WHERE run_id = ?"
                    + " ORDER BY id", runId)) {
                while (rs.next()) {
                    transfers.add(new RunDetail.Transfer(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getObject(6, Boolean.class)));
                }
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            try (ResultSet rs = query("SELECT name, val FROM run_attribute WHERE run_id = ? ORDER BY at_ms, name", runId)) {
                while (rs.next()) {
                    attributes.put(rs.getString(1), rs.getString(2));
                }
            }
            List<RunDetail.Log> logs = new ArrayList<>();
            try (ResultSet rs = query("SELECT stage, source, stored, bytes FROM run_log WHERE run_id = ? ORDER BY id", runId)) {
                while (rs.next()) {
                    logs.add(new RunDetail.Log(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
            List<RunDetail.Action> actions = new ArrayList<>();
            try (ResultSet rs = query("SELECT action, detail, at_ms FROM admin_action WHERE run_id = ? ORDER BY id", runId)) {
                while (rs.next()) {
                    actions.add(new RunDetail.Action(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            List<String> arguments = new ArrayList<>();
            try (ResultSet rs = query("SELECT val FROM run_argument WHERE run_id = ? ORDER BY pos", runId)) {
                while (rs.next()) {
                    arguments.add(rs.getString(1));
                }
            }
            String endMessage = null;
            try (ResultSet rs = query("SELECT message FROM run_end WHERE run_id = ?", runId)) {
                if (rs.next()) {
                    endMessage = rs.getString(1);
                }
            }
            List<RunDetail.Note> notes = new ArrayList<>();
            try (ResultSet rs = query("SELECT stage, kind, detail, at_ms FROM run_note WHERE run_id = ? ORDER BY id", runId)) {
                while (rs.next()) {
                    notes.add(new RunDetail.Note(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
            List<RunDetail.ChildStart> starts = new ArrayList<>();
            try (ResultSet rs = query("SELECT stage, pid, pid_started_ms, program FROM child_start WHERE run_id = ?"
                    + " ORDER BY id", runId)) {
                while (rs.next()) {
                    starts.add(new RunDetail.ChildStart(rs.getString(1), rs.getLong(2), rs.getObject(3, Long.class),
                            rs.getString(4)));
                }
            }
            return new RunDetail(summary, datadir, version, events, children, transfers, attributes, logs, actions,
                    arguments, endMessage, notes, starts);
        } catch (SQLException e) {
            throw new HistoryException("cannot read run " + runId + ": " + e.getMessage(), e);
        }
    }

    /** Runs on this datadir with no end whose owner is gone, newest first. */
    public List<RunSummary> interrupted(String datadir) {
        List<String> ids = new ArrayList<>();
        try (ResultSet rs = query("SELECT r.id FROM run r WHERE r.datadir = ? AND NOT EXISTS"
                + " (SELECT 1 FROM run_end e WHERE e.run_id = r.id) ORDER BY r.started_ms DESC", datadir)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read the run history: " + e.getMessage(), e);
        }
        List<RunSummary> out = new ArrayList<>();
        for (String id : ids) {
            summaries("SELECT r.* FROM run r WHERE r.id = ?", List.of(id)).stream()
                    .filter(r -> r.outcome().equals("interrupted")).forEach(out::add);
        }
        return out;
    }

    /** The newest run of {@code role} on {@code datadir}: the one a datadir's .sst and markers belong to. */
    public Optional<String> newestRun(String datadir, String role) {
        try (ResultSet rs = query2("SELECT id FROM run WHERE datadir = ? AND role = ? ORDER BY started_ms DESC, id LIMIT 1",
                datadir, role)) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new HistoryException("cannot read the run history: " + e.getMessage(), e);
        }
    }

    /** The newest progress sample of a run. */
    public Optional<Progress> progress(String runId) {
        try (ResultSet rs = query("SELECT stage, bytes, total, at_ms FROM progress WHERE run_id = ? ORDER BY id DESC LIMIT 1",
                runId)) {
            return rs.next() ? Optional.of(new Progress(rs.getString(1), rs.getLong(2), rs.getObject(3, Long.class),
                    rs.getLong(4))) : Optional.empty();
        } catch (SQLException e) {
            throw new HistoryException("cannot read run " + runId + ": " + e.getMessage(), e);
        }
    }

    public record Progress(String stage, long bytes, Long total, long atMs) {
    }

    /**
     * Every run counted by role and outcome (completed, failed, interrupted, running), and the
     * bytes of every transfer by role, complete or cut short: the metrics' counters, rebuilt from
     * the append-only history, so they survive restarts and never go down.
     */
    public Totals totals() {
        Map<String, Map<String, Long>> runs = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.role, e.outcome, COUNT(*) FROM run r JOIN run_end e"
                + " ON e.run_id = r.id GROUP BY r.role, e.outcome");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                runs.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).merge(rs.getString(2), rs.getLong(3), Long::sum);
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read the run history: " + e.getMessage(), e);
        }
        // a run without an end is running or interrupted, as its owner's liveness says
        for (String outcome : List.of("running", "interrupted")) {
            for (RunSummary r : history(new RunFilter(null, outcome, null, Integer.MAX_VALUE))) {
                runs.computeIfAbsent(r.role(), k -> new LinkedHashMap<>()).merge(outcome, 1L, Long::sum);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT r.role, SUM(t.bytes) FROM transfer t JOIN run r"
                + " ON r.id = t.run_id GROUP BY r.role");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                bytes.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read the run history: " + e.getMessage(), e);
        }
        return new Totals(runs, bytes);
    }

    /** {@code runs}: role → outcome → count; {@code bytes}: role → bytes transferred. */
    public record Totals(Map<String, Map<String, Long>> runs, Map<String, Long> bytes) {

        public long runs(String role, String outcome) {
            return runs.getOrDefault(role, Map.of()).getOrDefault(outcome, 0L);
        }

        public long bytes(String role) {
            return bytes.getOrDefault(role, 0L);
        }
    }

    /** Events of one run in order, compactly: stage:kind[:outcome]. */
    public List<String> stageEvents(String runId) {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = query("SELECT stage, kind, outcome FROM event WHERE run_id = ? ORDER BY id", runId)) {
            while (rs.next()) {
                String outcome = rs.getString(3);
                out.add(rs.getString(1) + ":" + rs.getString(2)
                        + (outcome == null || outcome.equals("ok") ? "" : ":" + outcome));
            }
        } catch (SQLException e) {
            throw new HistoryException("cannot read run " + runId + ": " + e.getMessage(), e);
        }
        return out;
    }

    private ResultSet query2(String sql, String a, String b) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setString(1, a);
        ps.setString(2, b);
        ps.closeOnCompletion();
        return ps.executeQuery();
    }

    private ResultSet query(String sql, String arg) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setString(1, arg);
        ps.closeOnCompletion();
        return ps.executeQuery();
    }
}
