package org.sstorchestrator.persistence;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;

/**
 * Why the cluster's SST history could not be read or written. Never an SST's failure: the
 * reason is recorded, the outbox keeps the rows, and doctor names the remedy.
 */
public final class ClusterStoreException extends RuntimeException {

    /** What went wrong, as an operator would fix it. */
    public enum Reason {
        /** the user lacks a privilege on the table or its schema (ER_TABLEACCESS_DENIED_ERROR and kin) */
        MISSING_GRANT("missing_grant"),
        /** the server refuses writes: read_only, or a read-only transaction */
        READ_ONLY("read_only"),
        /** Galera has not made the node ready for clients (not Synced, or not in the primary component) */
        NOT_READY("not_ready"),
        /** the table (or its schema) does not exist yet: nothing was published to it */
        NO_TABLE("no_table"),
        /** the server does not know the user or its password */
        LOGIN("login"),
        /** no server at the socket or port, or it did not answer in time */
        UNREACHABLE("unreachable"),
        OTHER("other");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Reason reason;

    public ClusterStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The server's error codes (MariaDB's include/mysqld_error.h) and JDBC's connection states, sorted. */
    static Reason of(SQLException e) {
        switch (e.getErrorCode()) {
            case 1044, 1142, 1143, 1227, 1370 -> {
                return Reason.MISSING_GRANT;
            }
            case 1290, 1792, 1836 -> {
                return Reason.READ_ONLY;
            }
            case 1047 -> {
                return Reason.NOT_READY;
            }
            case 1049, 1146 -> {
                return Reason.NO_TABLE;
            }
            case 1045, 1698 -> {
                return Reason.LOGIN;
            }
            default -> {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                return e instanceof SQLNonTransientConnectionException || e instanceof SQLTimeoutException
                        || state.startsWith("08") ? Reason.UNREACHABLE : Reason.OTHER;
            }
        }
    }
}
