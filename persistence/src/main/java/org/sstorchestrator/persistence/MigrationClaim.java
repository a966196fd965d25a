package org.sstorchestrator.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One node at a time migrates the cluster's history table. Flyway serialises migrations with
 * GET_LOCK, which holds on one server only (on a Galera node it falls back to a row lock that
 * Galera does not carry to other nodes either): two nodes' first publishes at the same moment
 * both ran V1; the second in Galera's order failed on the table the first had made, and its
 * Flyway recorded the failure in the schema history, where a later migration would refuse it.
 *
 * <p>The claim is a row of {@code <table>_migration} that a node takes with an UPDATE of its
 * holder: Galera certifies writes to one row in one cluster-wide order, so of two nodes that
 * take it at once one commits and the other's UPDATE fails certification (a deadlock error) or,
 * waiting for what the cluster committed first ({@code wsrep_sync_wait}), finds it taken. A
 * holder that died keeps it for {@link #LEASE_MS} at most. Only CREATE, SELECT, INSERT and
 * UPDATE are needed: what the table's own grant gives.
 */
final class MigrationClaim implements AutoCloseable {

    /** Far longer than a migration of this table takes (milliseconds); a dead holder's claim lapses after it. */
    static final long LEASE_MS = 60_000;
    private static final int ER_LOCK_DEADLOCK = 1213;

    private final Connection c;
    private final String claimTable;
    private final String holder = UUID.randomUUID().toString();

    private MigrationClaim(Connection c, String claimTable) {
        this.c = c;
        this.claimTable = claimTable;
    }

    /**
     * Takes the claim, waiting up to {@code waitMs} while another node holds it; empty when
     * {@code done} turns true meanwhile (that node migrated: nothing is left to do).
     */
    static Optional<MigrationClaim> take(Connection c, String quotedSchema, String claimTable, long waitMs,
                                                   BooleanSupplier done) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS " + quotedSchema);
            st.execute("CREATE TABLE IF NOT EXISTS " + claimTable + " (id TINYINT NOT NULL PRIMARY KEY,"
                    + " holder CHAR(36), since_ms BIGINT NOT NULL) ENGINE=InnoDB");
        }
        MigrationClaim claim = new MigrationClaim(c, claimTable);
        claim.ensureRow();
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        while (!claim.tryTake()) {
            if (done.getAsBoolean()) {
                return Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException("another node has been migrating " + claimTable + " for more than " + waitMs
                        + " ms (its claim lapses " + LEASE_MS + " ms after it was taken)", "HY000");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while another node migrates " + claimTable, "HY000", e);
            }
        }
        return Optional.of(claim);
    }

    private void ensureRow() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT IGNORE INTO " + claimTable + " (id, holder, since_ms) VALUES (0, NULL, 0)");
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_LOCK_DEADLOCK) {
                throw e; // a deadlock here is another node's same row, certified first
            }
        }
    }

    private boolean tryTake() throws SQLException {
        long now = System.currentTimeMillis();
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + claimTable + " SET holder = ?, since_ms = ?"
                + " WHERE id = 0 AND (holder IS NULL OR since_ms < ?)")) {
            ps.setString(1, holder);
            ps.setLong(2, now);
            ps.setLong(3, now - LEASE_MS);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_LOCK_DEADLOCK) {
                return false; // another node's take of the same row was certified first
            }
            throw e;
        }
    }

    /** Gives the claim back; one that lapsed and was taken by another node is left to it. */
    @Override
    public void close() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + claimTable + " SET holder = NULL WHERE id = 0"
                + " AND holder = ?")) {
            ps.setString(1, holder);
            ps.executeUpdate();
        }
    }
}
