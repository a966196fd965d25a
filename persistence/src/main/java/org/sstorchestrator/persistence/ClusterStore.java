package org.sstorchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * The cluster's SST history (issue 21): the InnoDB table {@code [sst] cluster-history} names,
 * on a node's own server, which Galera replicates to every node. A donor writes its rows here
 * at the end of its run, {@code sst-admin publish} writes what waits in a node's outbox, and
 * {@code sst-admin history --cluster} reads it on any node.
 *
 * <p>Every connection has a bounded connect and statement time: a server that is gone or
 * hangs costs seconds at most, and only after the SST's last line. The driver is called
 * directly, not through DriverManager, so nothing else on the classpath is consulted, and the
 * password goes to the driver's properties alone (never a URL, a log or a message).
 */
public final class ClusterStore implements AutoCloseable {

    /** The highest migration in migrations/…/db/cluster; SchemaVersionTest keeps the two in step. */
    public static final int SCHEMA_VERSION = 1;
    /** Bounds for a connection on the SST's own machine: a healthy local server answers in milliseconds. */
    public static final int CONNECT_TIMEOUT_MS = 2_000;
    public static final int STATEMENT_TIMEOUT_MS = 5_000;
    /** How long a publish waits while another node migrates the table (a migration takes well under a second). */
    private static final long CLAIM_WAIT_MS = 10_000;
    private static final int ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

    private static final String COLUMNS = "run_id, role, node_name, node_address, datadir, peer, peer_run_id, method,"
            + " version, server_version, backup_version, started_ms, ended_ms, outcome, exit_code, exit_meaning,"
            + " last_stage, bytes, stage_ms, wire, error, published_ms";

    private final Connection c;
    private final String schema;
    private final String table;
    private final ClusterEndpoint endpoint;

    private ClusterStore(Connection c, String schema, String table, ClusterEndpoint endpoint) {
        this.c = c;
        this.schema = schema;
        this.table = table;
        this.endpoint = endpoint;
    }

    /** What the server we are connected to says of itself: the node a published row belongs to. */
    public record Server(String name, String address, String version, String datadir, String account) {
    }

    /**
     * Connects as {@code user} to the server at {@code endpoint}, for the table
     * {@code schema.table} (names the option's grammar has checked; quoted here all the same).
     */
    public static ClusterStore open(ClusterEndpoint endpoint, String user, String password, String schema, String table) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        if (endpoint.socket() != null) {
            p.setProperty("localSocket", endpoint.socket().toString());
        }
        if (endpoint.local()) {
            // the kernel carries a socket's bytes and names its peer; Connector/J 4 would insist on TLS
            p.setProperty("sslMode", "disable");
        }
        p.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_MS));
        p.setProperty("socketTimeout", Integer.toString(STATEMENT_TIMEOUT_MS));
        Connection c;
        try {
            c = new org.mariadb.jdbc.Driver().connect(endpoint.url(), p);
        } catch (SQLException e) {
            throw failure("cannot connect to the server at " + endpoint + " as '" + user + "'", e);
        }
        try {
            causalReads(c);
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure("cannot ask the server at " + endpoint + " for causal reads", e);
        }
        return new ClusterStore(c, schema, table, endpoint);
    }

    /**
     * Reads and updates wait until this node has applied every write the cluster committed
     * before them ({@code wsrep_sync_wait=3}): Galera applies another node's commit here a
     * moment after that node's commit returned, and a read in that moment would miss a row, or
     * the schema version another node's migration has just written. A server without Galera
     * has no such variable and no such moment.
     */
    private static void causalReads(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET SESSION wsrep_sync_wait = 3");
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_UNKNOWN_SYSTEM_VARIABLE) {
                throw e;
            }
        }
    }

    /** {@code schema.table}, as the option names it. */
    public String target() {
        return schema + "." + table;
    }

    public Server server() {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@wsrep_node_name, @@wsrep_node_address, VERSION(), @@datadir,"
                     + " CURRENT_USER()")) {
            rs.next();
            return new Server(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), account(rs.getString(5)));
        } catch (SQLException e) {
            throw failure("cannot ask the server at " + endpoint + " about itself", e);
        }
    }

    /** SHOW GRANTS for the user connected: what doctor checks against the privileges publishing needs. */
    public List<String> grants() {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw failure("cannot read the grants of the user on " + endpoint, e);
        }
        return out;
    }

    /**
     * Creates or migrates the table when its schema is behind this version (Flyway, with the
     * table's own history {@code <table>_schema_history} beside it), one node at a time
     * ({@link MigrationClaim}, in {@code <table>_migration}); a table that is current costs one
     * query. Needs CREATE and ALTER on the schema the first time, nothing after.
     */
    public void migrate() {
        if (current()) {
            return;
        }
        Optional<MigrationClaim> claim;
        try {
            claim = MigrationClaim.take(c, quotedName(schema), quoted(table + "_migration"), CLAIM_WAIT_MS, this::current);
        } catch (SQLException e) {
            throw failure("cannot claim the migration of " + target() + " on " + endpoint, e);
        }
        if (claim.isEmpty()) {
            return; // another node migrated it while we waited
        }
        try (MigrationClaim held = claim.get()) {
            if (!current()) {
                flyway();
            }
        } catch (SQLException e) {
            throw failure("cannot give back the migration claim of " + target() + " on " + endpoint, e);
        }
    }

    private boolean current() {
        return appliedVersion() >= SCHEMA_VERSION;
    }

    private void flyway() {
        try {
            Flyway.configure()
                    .dataSource(new SingleConnectionDataSource(c))
                    .locations("classpath:db/cluster")
                    .schemas(schema)
                    .defaultSchema(schema)
                    .table(table + "_schema_history")
                    .placeholders(Map.of("table", table))
                    // the schema holds our claim table, and may hold the operator's own: no reason to refuse
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof SQLException)) {
                cause = cause.getCause();
            }
            if (cause instanceof SQLException s) {
                throw failure("cannot create or migrate " + target() + " on " + endpoint, s);
            }
            throw new ClusterStoreException(ClusterStoreException.Reason.OTHER, "cannot create or migrate " + target()
                    + " on " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * The table's schema version; 0 when it has none yet. A user without the grant is told so
     * here, before Flyway is loaded for nothing (the server answers "denied", not "no such
     * table", for a table the user may not see).
     */
    int appliedVersion() {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MAX(CAST(version AS UNSIGNED)) FROM " + quoted(table + "_schema_history")
                     + " WHERE success = 1")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            if (ClusterStoreException.of(e) == ClusterStoreException.Reason.NO_TABLE) {
                return 0;
            }
            throw failure("cannot read the schema version of " + target() + " on " + endpoint, e);
        }
    }

    /**
     * Writes a run's row. A row the table has already is left alone unless its outcome
     * changed (a run a resume finished): publishing twice writes nothing new.
     */
    public void publish(ClusterRow r) {
        try {
            int added;
            try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + quoted(table) + " (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(ps, r);
                added = ps.executeUpdate();
            }
            if (added == 0) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + quoted(table) + " SET "
                        + COLUMNS.replace(", ", " = ?, ") + " = ? WHERE run_id = ? AND outcome <> ?")) {
                    bind(ps, r);
                    ps.setString(23, r.runId());
                    ps.setString(24, r.outcome());
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw failure("cannot write run " + r.runId() + " to " + target() + " on " + endpoint, e);
        }
    }

    /** The newest rows first, at most {@code limit}, started at or after {@code sinceMs} when given. */
    public List<ClusterRow> recent(Long sinceMs, int limit) {
        return select((sinceMs == null ? "" : " WHERE started_ms >= ?") + " ORDER BY started_ms DESC, run_id LIMIT "
                + Math.max(0, limit), sinceMs == null ? List.of() : List.of(sinceMs));
    }

    /** The rows of these runs, and of the runs that name them as their peer: both sides of their SSTs. */
    public List<ClusterRow> sidesOf(Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(runIds.size(), "?"));
        List<Object> args = new ArrayList<>(runIds);
        args.addAll(runIds);
        return select(" WHERE run_id IN (" + marks + ") OR peer_run_id IN (" + marks + ")", args);
    }

    /** The rows whose run id starts with {@code prefix} (hex digits and '-', checked by the caller). */
    public List<ClusterRow> byPrefix(String prefix) {
        return select(" WHERE run_id LIKE ? ORDER BY started_ms DESC LIMIT 2", List.of(prefix + "%"));
    }

    private List<ClusterRow> select(String rest, List<Object> args) {
        List<ClusterRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM " + quoted(table) + rest)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ClusterRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), rs.getString(11), rs.getLong(12), rs.getObject(13, Long.class),
                            rs.getString(14), rs.getObject(15, Integer.class), rs.getString(16), rs.getString(17),
                            rs.getLong(18), rs.getString(19), rs.getString(20), rs.getString(21), rs.getLong(22)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read " + target() + " on " + endpoint, e);
        }
        return out;
    }

    private static void bind(PreparedStatement ps, ClusterRow r) throws SQLException {
        ps.setString(1, r.runId());
        ps.setString(2, r.role());
        ps.setString(3, r.nodeName());
        ps.setString(4, r.nodeAddress());
        ps.setString(5, r.datadir());
        ps.setString(6, r.peer());
        ps.setString(7, r.peerRunId());
        ps.setString(8, r.method());
        ps.setString(9, r.version());
        ps.setString(10, r.serverVersion());
        ps.setString(11, r.backupVersion());
        ps.setLong(12, r.startedMs());
        setNullable(ps, 13, r.endedMs(), Types.BIGINT);
        ps.setString(14, r.outcome());
        setNullable(ps, 15, r.exitCode(), Types.INTEGER);
        ps.setString(16, r.exitMeaning());
        ps.setString(17, r.lastStage());
        ps.setLong(18, r.bytes());
        ps.setString(19, r.stageMs());
        ps.setString(20, r.wire());
        ps.setString(21, r.error());
        ps.setLong(22, r.publishedMs());
    }

    private static void setNullable(PreparedStatement ps, int i, Object v, int type) throws SQLException {
        if (v == null) {
            ps.setNull(i, type);
        } else {
            ps.setObject(i, v);
        }
    }

    /** CURRENT_USER()'s user@host as a GRANT names it: 'user'@'host'. */
    static String account(String current) {
        int at = current.lastIndexOf('@');
        return at < 0 ? "'" + current + "'" : "'" + current.substring(0, at) + "'@'" + current.substring(at + 1) + "'";
    }

    private String quoted(String name) {
        return quotedName(schema) + "." + quotedName(name);
    }

    private static String quotedName(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static ClusterStoreException failure(String what, SQLException e) {
        return new ClusterStoreException(ClusterStoreException.of(e), what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // a connection that cannot even close has nothing of ours left to lose
        }
    }
}
