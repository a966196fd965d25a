package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.ClusterEndpoint;
import org.sstorchestrator.persistence.ClusterRow;
import org.sstorchestrator.persistence.ClusterStore;
import org.sstorchestrator.states.config.ClusterHistoryTable;

/**
 * The cluster's SST history table read and created from two nodes of a real cluster at once.
 * Galera applies another node's commit on this node a moment after that node's commit returns,
 * and Flyway's lock (GET_LOCK) holds on one server only: CI saw {@code sst-admin publish} on
 * a joiner fail with "Table 'history' already exists" while its donor's end migrated the table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterStoreOnGaleraIT {

    private static final String SCHEMA = "sst_it";

    private LocalCluster cluster;
    private GaleraNode node1;
    private GaleraNode node2;

    @BeforeAll
    void twoSyncedNodes() throws Exception {
        cluster = ClusterFixture.newCluster("cluster-store");
        node1 = cluster.addNode("mariabackup_sm", false, List.of());
        node2 = cluster.addNode("mariabackup_sm", false, List.of());
        cluster.bootstrap(node1);
        node1.sql("GRANT " + ClusterHistoryTable.PRIVILEGES + " ON " + SCHEMA + ".* TO '" + LocalCluster.SST_USER
                + "'@'localhost'");
        cluster.join(node2, Duration.ofMinutes(4));
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    /**
     * node2 holds FLUSH TABLES WITH READ LOCK, which pauses its applying of the cluster's
     * writes: node1's row is committed in the cluster and not yet on node2. A read on node2
     * waits for it rather than answer without it.
     */
    @Test
    void aReadOnOneNodeSeesTheRowAnotherNodeHasJustCommitted() throws Exception {
        try (ClusterStore s1 = store(node1, "reads")) {
            s1.migrate();
        }
        try (Connection lock = connect(node2); Statement st = lock.createStatement()) {
            st.execute("FLUSH TABLES WITH READ LOCK");
            try (ClusterStore s1 = store(node1, "reads")) {
                s1.publish(row("6d1c3f2e-0000-4000-8000-000000000001"));
            }
            FutureTask<List<ClusterRow>> read = new FutureTask<>(() -> {
                try (ClusterStore s2 = store(node2, "reads")) {
                    return s2.recent(null, 10);
                }
            });
            new Thread(read, "read-on-node2").start();
            awaitWaitingOrDone(st, read, "reads");
            st.execute("UNLOCK TABLES");
            List<String> ids = read.get(60, TimeUnit.SECONDS).stream().map(ClusterRow::runId).toList();
            assertEquals(List.of("6d1c3f2e-0000-4000-8000-000000000001"), ids);
        }
    }

    /** Both nodes' first publishes create the table at the same moment: both succeed, and its schema has one history. */
    @Test
    void twoNodesThatCreateTheTableAtOnceBothSucceedWithOneSchemaHistory() throws Exception {
        for (int round = 0; round < 6; round++) {
            String table = "race" + round;
            CyclicBarrier together = new CyclicBarrier(2);
            List<FutureTask<Void>> both = new ArrayList<>();
            for (GaleraNode n : List.of(node1, node2)) {
                FutureTask<Void> t = new FutureTask<>(() -> {
                    try (ClusterStore s = store(n, table)) {
                        together.await(30, TimeUnit.SECONDS);
                        s.migrate();
                        s.publish(row("6d1c3f2e-0000-4000-8000-00000000010" + (n == node1 ? 1 : 2)));
                    }
                    return null;
                });
                both.add(t);
                new Thread(t, "migrate-" + n.name()).start();
            }
            for (FutureTask<Void> t : both) {
                t.get(120, TimeUnit.SECONDS);
            }
            try (Connection c = connect(node1); Statement st = c.createStatement()) {
                st.execute("SET SESSION wsrep_sync_wait = 1");
                // Flyway's markers aside (the schema it created, the baseline of a schema that held other tables)
                try (ResultSet rs = st.executeQuery("SELECT version, success FROM " + SCHEMA + ".`" + table
                        + "_schema_history` WHERE type NOT IN ('SCHEMA', 'BASELINE') ORDER BY installed_rank")) {
                    List<String> history = new ArrayList<>();
                    while (rs.next()) {
                        history.add(rs.getString(1) + ":" + rs.getInt(2));
                    }
                    assertEquals(List.of("1:1"), history, "round " + round + ": one migration, no failed one");
                }
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + SCHEMA + ".`" + table + "`")) {
                    rs.next();
                    assertEquals(2, rs.getInt(1), "both nodes' rows, round " + round);
                }
            }
        }
    }

    /** Flyway refuses a schema that holds tables but not its history, unless told to baseline it: ours is told. */
    @Test
    void theTableIsCreatedInASchemaThatHoldsTheOperatorsOwnTables() throws Exception {
        node1.sql("CREATE DATABASE IF NOT EXISTS ops");
        node1.sql("CREATE TABLE ops.inventory (id INT PRIMARY KEY) ENGINE=InnoDB");
        node1.sql("GRANT " + ClusterHistoryTable.PRIVILEGES + " ON ops.* TO '" + LocalCluster.SST_USER + "'@'localhost'");

        try (ClusterStore s = ClusterStore.open(ClusterEndpoint.socket(node1.socket()), LocalCluster.SST_USER,
                LocalCluster.SST_PASSWORD, "ops", "sst_history")) {
            s.migrate();
            s.publish(row("6d1c3f2e-0000-4000-8000-000000000201"));
            assertEquals(1, s.recent(null, 10).size());
        }
        assertEquals("0", node1.sql("SELECT COUNT(*) FROM ops.inventory").strip(), "the operator's table is left alone");
    }

    private static ClusterStore store(GaleraNode n, String table) {
        return ClusterStore.open(ClusterEndpoint.socket(n.socket()), LocalCluster.SST_USER, LocalCluster.SST_PASSWORD,
                SCHEMA, table);
    }

    /** A session of the SST user (it has RELOAD and PROCESS), beside the store's. */
    private static Connection connect(GaleraNode n) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", LocalCluster.SST_USER);
        p.setProperty("password", LocalCluster.SST_PASSWORD);
        p.setProperty("localSocket", n.socket().toString());
        p.setProperty("sslMode", "disable");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://localhost/", p);
    }

    /** Until the read is done, or is seen waiting on node2 with its statement on the table. */
    private static void awaitWaitingOrDone(Statement st, FutureTask<?> read, String table) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!read.isDone()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()"
                    + " AND INFO LIKE 'SELECT%`" + table + "`%'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "the read on node2 neither ended nor showed in its process list");
            Thread.sleep(20);
        }
    }

    private static ClusterRow row(String runId) {
        return new ClusterRow(runId, "joiner", "node", "127.0.0.1", "/var/lib/mysql", "127.0.0.1:4444", null,
                "mariabackup_sm", "test", "10.11", "10.11", 1_000L, 2_000L, "completed", 0, "ok", "report_position", 1L,
                "preflight=1", "none", null, 0L);
    }
}
