package org.sstorchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.sstorchestrator.engine.RunJournal;

/**
 * The engine's journal on the history database. Each call is one auto-committed insert,
 * durable when it returns ({@code WRITE_DELAY=0}). Nothing is ever updated or deleted.
 */
public final class H2RunJournal implements RunJournal {

    private static final int MESSAGE_MAX = 4096;

    private final Connection c;
    private final LongSupplier clock;

    public H2RunJournal(HistoryDatabase db, LongSupplier clock) {
        this(db.connection(), clock);
    }

    H2RunJournal(Connection c, LongSupplier clock) {
        this.c = c;
        this.clock = clock;
    }

    /** Reads the history this journal writes, on the same connection (the run's own status and metrics). */
    public HistoryQueries reader() {
        return new HistoryQueries(c);
    }

    public void runStarted(NewRun run) {
        exec("INSERT INTO run (id, role, datadir, peer, pid, pid_started_ms, tool_version, started_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, run.id());
                    ps.setString(2, run.role());
                    ps.setString(3, run.datadir());
                    ps.setString(4, run.peer());
                    ps.setLong(5, run.pid());
                    setLong(ps, 6, run.pidStartedMs());
                    ps.setString(7, run.toolVersion());
                    ps.setLong(8, run.startedMs());
                });
    }

    /** The run's command line; the caller masks secret values first. */
    public void runArguments(String runId, List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            int pos = i;
            exec("INSERT INTO run_argument (run_id, pos, val) VALUES (?, ?, ?)", ps -> {
                ps.setString(1, runId);
                ps.setInt(2, pos);
                ps.setString(3, argv.get(pos));
            });
        }
    }

    /** A process takes over a run (the first SST process, or sst-admin resume). */
    public void owner(String runId, long pid, Long pidStartedMs, String reason) {
        exec("INSERT INTO run_owner (run_id, pid, pid_started_ms, at_ms, reason) VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, runId);
            ps.setLong(2, pid);
            setLong(ps, 3, pidStartedMs);
            ps.setLong(4, clock.getAsLong());
            ps.setString(5, reason);
        });
    }

    public void runLog(String runId, String stage, String source, String stored, long bytes) {
        exec("INSERT INTO run_log (run_id, stage, source, stored, bytes, at_ms) VALUES (?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, runId);
            ps.setString(2, stage);
            ps.setString(3, source);
            ps.setString(4, stored);
            ps.setLong(5, bytes);
            ps.setLong(6, clock.getAsLong());
        });
    }

    public void progress(String runId, String stage, long bytes, Long total) {
        // the moment the count was taken, not the moment the database got to it: rates read back
        // from these samples (sst-admin watch, a check of rlimit) must not carry the insert's delay
        long at = clock.getAsLong();
        exec("INSERT INTO progress (run_id, stage, bytes, total, at_ms) VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, runId);
            ps.setString(2, stage);
            ps.setLong(3, bytes);
            setLong(ps, 4, total);
            ps.setLong(5, at);
        });
    }

    /** What sst-admin (or a new SST) did about a run; {@code runId} may be null. */
    public void adminAction(String runId, String action, String detail) {
        exec("INSERT INTO admin_action (run_id, action, detail, pid, at_ms) VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, runId);
            ps.setString(2, action);
            ps.setString(3, clip(detail));
            ps.setLong(4, ProcessHandle.current().pid());
            ps.setLong(5, clock.getAsLong());
        });
    }

    @Override
    public void stageStarted(String runId, String stage) {
        event(runId, stage, "started", null, null, null);
    }

    @Override
    public void stageCompleted(String runId, String stage, String outcome) {
        event(runId, stage, "completed", outcome, null, null);
    }

    @Override
    public void stageFailed(String runId, String stage, int code, String message) {
        event(runId, stage, "failed", null, code, message);
    }

    private void event(String runId, String stage, String kind, String outcome, Integer code, String message) {
        exec("INSERT INTO event (run_id, stage, kind, outcome, at_ms, error_code, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, runId);
                    ps.setString(2, stage);
                    ps.setString(3, kind);
                    ps.setString(4, outcome);
                    ps.setLong(5, clock.getAsLong());
                    if (code == null) {
                        ps.setNull(6, Types.INTEGER);
                    } else {
                        ps.setInt(6, code);
                    }
                    ps.setString(7, clip(message));
                });
    }

    @Override
    public void runEnded(String runId, boolean completed, int exitCode, String message) {
        exec("INSERT INTO run_end (run_id, ended_ms, outcome, exit_code, message) VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, runId);
            ps.setLong(2, clock.getAsLong());
            ps.setString(3, completed ? "completed" : "failed");
            ps.setInt(4, exitCode);
            ps.setString(5, clip(message));
        });
    }

    public void childProcess(String runId, String stage, List<String> argv, Integer exitCode,
                             long startedMs, long endedMs, String logPath) {
        exec("INSERT INTO child_process (run_id, stage, argv, exit_code, started_ms, ended_ms, log_path)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
                    ps.setString(1, runId);
                    ps.setString(2, stage);
                    ps.setString(3, String.join(" ", argv));
                    if (exitCode == null) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, exitCode);
                    }
                    ps.setLong(5, startedMs);
                    ps.setLong(6, endedMs);
                    ps.setString(7, logPath);
                });
    }

    /** A stream's byte count: {@code what} it carried; {@code complete} false for one cut short (its bytes still count). */
    public void transfer(String runId, String stage, String what, long bytes, long startedMs, long endedMs,
                         boolean complete) {
        exec("INSERT INTO transfer (run_id, stage, what, bytes, started_ms, ended_ms, complete) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, runId);
                    ps.setString(2, stage);
                    ps.setString(3, what);
                    ps.setLong(4, bytes);
                    ps.setLong(5, startedMs);
                    ps.setLong(6, endedMs);
                    ps.setBoolean(7, complete);
                });
    }

    /** Something a run noticed and dealt with without failing (a refused connection, a dropped key). */
    public void note(String runId, String stage, String kind, String detail) {
        exec("INSERT INTO run_note (run_id, stage, kind, detail, at_ms) VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, runId);
            ps.setString(2, stage);
            ps.setString(3, kind);
            ps.setString(4, clip(detail));
            ps.setLong(5, clock.getAsLong());
        });
    }

    /** A child as it starts, identified by pid and the process's own start time. */
    public void childStarted(String runId, String stage, long pid, Long pidStartedMs, String program) {
        exec("INSERT INTO child_start (run_id, stage, pid, pid_started_ms, program, at_ms) VALUES (?, ?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, runId);
            ps.setString(2, stage);
            ps.setLong(3, pid);
            setLong(ps, 4, pidStartedMs);
            ps.setString(5, clip(program));
            ps.setLong(6, clock.getAsLong());
        });
    }

    public void attribute(String runId, String name, String value) {
        exec("MERGE INTO run_attribute (run_id, name, val, at_ms) KEY (run_id, name)"
                + " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM run_attribute WHERE run_id = ? AND name = ?)",
                ps -> {
                    ps.setString(1, runId);
                    ps.setString(2, name);
                    ps.setString(3, clip(value));
                    ps.setLong(4, clock.getAsLong());
                    ps.setString(5, runId);
                    ps.setString(6, name);
                });
    }

    /** A cluster table ({@code schema.table}) now holds the run's row with {@code outcome} (ClusterOutbox). */
    public void clusterPublished(String runId, String target, String outcome) {
        exec("INSERT INTO cluster_publication (run_id, target, outcome, at_ms) VALUES (?, ?, ?, ?)", ps -> {
            ps.setString(1, runId);
            ps.setString(2, target);
            ps.setString(3, outcome);
            ps.setLong(4, clock.getAsLong());
        });
    }

    /** An attempt to publish to a cluster table failed; {@code byRun} is the SST that tried, null for sst-admin. */
    public void clusterPublishFailed(String target, String byRun, String reason, String detail, int pending) {
        exec("INSERT INTO cluster_publish_failure (target, by_run, reason, detail, pending, at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setString(1, target);
                    ps.setString(2, byRun);
                    ps.setString(3, reason);
                    ps.setString(4, clip(detail));
                    ps.setInt(5, pending);
                    ps.setLong(6, clock.getAsLong());
                });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * One insert. An interrupted thread must not touch the file: an interrupt during H2's file
     * I/O closes the channel and the whole database with it, for every later write of the run
     * (seen in CI when a stream's end interrupted a progress sample). So the flag is cleared for
     * the write and restored after it; the interrupt is still delivered, just not to H2.
     */
    private void exec(String sql, Binder binder) {
        boolean interrupted = Thread.interrupted();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new HistoryException("cannot write the run history: " + e.getMessage(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static String clip(String s) {
        return s == null || s.length() <= MESSAGE_MAX ? s : s.substring(0, MESSAGE_MAX - 3) + "...";
    }
}
