package org.sstorchestrator.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's run history: an H2 file in a private directory.
 *
 * <p>Embedded H2 is exclusive per process, so while an SST holds the file, a reader (sst-admin)
 * asks that SST, over a Unix-domain socket in the same owner-only directory, for a consistent
 * copy and reads the copy ({@link ReaderService}); when no SST holds the file it is opened
 * directly. No TCP port is ever opened: an H2 TCP server on 127.0.0.1 let any local user open a
 * database of their own through it and run Java code in the SST's process (issue 6), and
 * {@code AUTO_SERVER} listened on every interface (docs/jvm-and-libraries.md#h2). Commits are durable at commit
 * with {@code WRITE_DELAY=0}: H2's default lost every committed row on a hard kill.
 */
public final class HistoryDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryDatabase.class);
    static final String NAME = "history";
    static final String USER = "sst";
    static final String KEY_FILE = "history.key";
    /** A reader holds the file for well under a second; the writer waits this long for it. */
    private static final long WRITER_LOCK_WAIT_MS = 15_000;
    /** How long a reader retries while a writer hands the file over (stops its server, closes). */
    private static final long HANDOVER_WAIT_MS = 5_000;
    private final Path dir;
    private final Connection connection;
    /** The writer's service to readers, or null. */
    private final ReaderService service;
    /** A reader's private copy of a held history, deleted at close, or null when the file is open directly. */
    private final Path snapshot;

    private HistoryDatabase(Path dir, Connection connection, ReaderService service, Path snapshot) {
        this.dir = dir;
        this.connection = connection;
        this.service = service;
        this.snapshot = snapshot;
    }

    public Path directory() {
        return dir;
    }

    public Connection connection() {
        return connection;
    }

    /** Whether {@code dir} holds a history at all (no SST has run there yet otherwise). */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(NAME + ".mv.db"));
    }

    /** Opens (creating and migrating if needed) the history for an SST run that writes it. */
    public static HistoryDatabase openForWriting(Path dir) {
        try {
            PrivateFiles.createDirectory(dir);
            String password = passwordFor(dir, true);
            HistoryTemplate.install(dir, password);
            String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve(NAME) + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
            Connection c;
            try {
                c = connectWaitingForReaders(url, password);
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.FILE_CORRUPTED_1) {
                    throw e;
                }
                keepDamaged(dir, e);
                c = connectWaitingForReaders(url, password);
            }
            migrate(c);
            for (String f : new String[] {NAME + ".mv.db", NAME + ".trace.db", NAME + ".lock.db"}) {
                PrivateFiles.restrict(dir.resolve(f));
            }
            ReaderService service = ReaderService.start(dir, c);
            return new HistoryDatabase(dir, c, service, null);
        } catch (IOException | SQLException e) {
            throw new HistoryException("cannot open the run history in " + dir + ": " + e.getMessage()
                    + " (set [sst] history-dir to a directory the mysql user owns)", e);
        }
    }

    /**
     * Opens the history for reading only, never blocking a running SST: directly when no SST
     * holds the file, else a consistent copy that the running SST makes on request.
     */
    public static HistoryDatabase openForReading(Path dir) {
        if (!Files.exists(dir.resolve(NAME + ".mv.db"))) {
            throw new HistoryException("no run history at " + dir + " (no SST has run with this datadir,"
                    + " or [sst] history-dir points elsewhere)");
        }
        try {
            HistoryDatabase db = directOrSnapshot(dir, ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE");
            db.connection.setReadOnly(true);
            return checkedForReaders(db);
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.FILE_CORRUPTED_1) {
                throw new HistoryException("the run history in " + dir + " is damaged: " + e.getMessage()
                        + "; the next SST keeps it as " + NAME + ".mv.db.damaged-<time> and starts a new one", e);
            }
            throw new HistoryException("cannot read the run history in " + dir + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof HistoryException h) {
                throw h;
            }
            throw new HistoryException("cannot read the run history in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * For sst-admin's few writes (cleanup and resume records): the file directly when no SST
     * holds it; else a copy to read, and {@link #adminAction} goes through the running SST.
     * Never migrates a history an SST holds: that SST owns the schema it opened.
     */
    public static HistoryDatabase openForUpdate(Path dir) {
        if (!Files.exists(dir.resolve(NAME + ".mv.db"))) {
            throw new HistoryException("no run history at " + dir);
        }
        try {
            HistoryDatabase db = checkedForReaders(directOrSnapshot(dir, ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;IFEXISTS=TRUE"));
            if (db.snapshot == null) {
                migrate(db.connection);
            }
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            if (e instanceof HistoryException h) {
                throw h;
            }
            throw new HistoryException("cannot update the run history in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Stops answering readers, as a closing writer does first (for tests of the hand-over). */
    void stopServingReaders() {
        if (service != null) {
            service.close();
        }
    }

    /** Whether this is a copy of a history a running SST holds (writes then go through that SST). */
    public boolean isSnapshot() {
        return snapshot != null;
    }

    /** Records what sst-admin did about a run: directly, or through the SST that holds the file. */
    public void adminAction(String runId, String action, String detail) {
        if (snapshot == null) {
            new H2RunJournal(connection, System::currentTimeMillis).adminAction(runId, action, detail);
            return;
        }
        try {
            ReaderService.request(ReaderService.socketOf(dir), "action " + (runId == null ? "-" : runId) + " " + action
                    + " " + java.util.Base64.getEncoder().encodeToString(detail.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new HistoryException("cannot record '" + action + "' in the run history in " + dir
                    + " through the running SST: " + e.getMessage(), e);
        }
    }

    /**
     * The file directly when no SST holds it, else a copy from the holder. A writer that is
     * ending stops answering a moment before it releases the file; a reader that falls in that
     * gap tries both again for a short while instead of failing (seen in CI: a watch ended with
     * an error just as the SST it followed completed).
     */
    private static HistoryDatabase directOrSnapshot(Path dir, String directOptions) throws IOException, SQLException {
        String password = passwordFor(dir, false);
        String file = dir.toAbsolutePath().resolve(NAME).toString();
        long deadline = System.currentTimeMillis() + HANDOVER_WAIT_MS;
        while (true) {
            try {
                return new HistoryDatabase(dir, connect("jdbc:h2:file:" + file + directOptions, USER,
                        password), null, null);
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    throw e;
                }
            }
            Path copy = null;
            try {
                copy = ReaderService.confinedSnapshot(dir, ReaderService.request(ReaderService.socketOf(dir), "snapshot"));
                Connection c = connect("jdbc:h2:file:" + copy.resolve(NAME)
                        + ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE", USER, password);
                return new HistoryDatabase(dir, c, null, copy);
            } catch (IOException | SQLException e) {
                if (copy != null) {
                    PrivateFiles.deleteFlat(copy);
                }
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the run history", ie);
            }
        }
    }

    /**
     * An SST must not fail because the record of earlier ones is damaged (say, by a disk
     * fault), and the record must not be lost: the damaged file is renamed, kept next to the
     * new one for H2's recovery tool, and the run starts a new history.
     */
    private static void keepDamaged(Path dir, SQLException why) throws IOException {
        Path damaged = dir.resolve(NAME + ".mv.db");
        Path kept = dir.resolve(NAME + ".mv.db.damaged-" + System.currentTimeMillis());
        Files.move(damaged, kept);
        LOG.warn("the run history {} is damaged ({}); kept it as {} and started a new one", damaged,
                why.getMessage(), kept.getFileName());
    }

    private static Connection connectWaitingForReaders(String url, String password) throws SQLException {
        long deadline = System.currentTimeMillis() + WRITER_LOCK_WAIT_MS;
        while (true) {
            try {
                return connect(url, USER, password);
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1 || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * An H2 connection from H2's driver itself. DriverManager would first load every JDBC
     * driver on the classpath, MariaDB's too (the cluster's history), which cost every SST's
     * start some 6 ms for a driver it never uses.
     */
    static Connection connect(String url, String user, String password) throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return new org.h2.Driver().connect(url, p);
    }

    private static String passwordFor(Path dir, boolean create) throws IOException {
        Path key = dir.resolve(KEY_FILE);
        if (Files.exists(key)) {
            return Files.readString(key).trim();
        }
        if (!create) {
            throw new IOException("the key file " + key + " is missing");
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = HexFormat.of().formatHex(bytes);
        PrivateFiles.write(key, password + "\n");
        return password;
    }

    /** The highest migration in migrations/; SchemaVersionTest keeps the two in step. */
    public static final int SCHEMA_VERSION = 4;

    /**
     * Migrates only when the schema is behind: loading Flyway costs 0.2-0.4 s of start-up
     * (docs/jvm-and-libraries.md#h2), and an SST starts on the joiner and then again on the donor.
     */
    static void migrate(Connection c) throws SQLException {
        if (appliedVersion(c) >= SCHEMA_VERSION) {
            return;
        }
        // migrate() works out what is pending itself; asking info() first scanned and queried twice
        Flyway.configure()
                .dataSource(new SingleConnectionDataSource(c))
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /**
     * sst-admin must not misread a history a newer version wrote (its queries assume this
     * schema); it says so and changes nothing. An SST writes on: its inserts only append.
     */
    private static HistoryDatabase checkedForReaders(HistoryDatabase db) {
        int applied = appliedVersion(db.connection);
        if (applied > SCHEMA_VERSION) {
            db.close();
            throw new HistoryException("the run history in " + db.dir + " has schema version " + applied
                    + ", newer than this sst-admin understands (" + SCHEMA_VERSION + "); use the sst-admin of the"
                    + " sst-orchestrator version that wrote it");
        }
        return db;
    }

    static int appliedVersion(Connection c) {
        try (java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(
                     "SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\" WHERE \"success\"")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException | NumberFormatException noHistoryYet) {
            return 0;
        }
    }

    /**
     * Hands the file over cleanly: first the reader socket goes (a request being answered
     * finishes), so new readers wait for the file itself; then the file is released. A reader
     * closes its private copy and deletes it.
     */
    @Override
    public void close() {
        try {
            if (service != null) {
                service.close();
            }
            connection.close();
            if (snapshot != null) {
                PrivateFiles.deleteFlat(snapshot);
            }
        } catch (SQLException | IOException e) {
            LOG.warn("closing the run history in {}: {}", dir, e.getMessage());
        }
    }
}
