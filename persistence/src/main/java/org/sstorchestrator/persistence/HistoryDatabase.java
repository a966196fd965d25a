package org.sstorchestrator.persistence;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.h2.api.ErrorCode;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's run history: an H2 file in a private directory.
 *
 * <p>Embedded H2 is exclusive per process, so the writer (the SST process) also serves the
 * file over an H2 TCP server bound to 127.0.0.1 and writes the port next to the database;
 * a reader opens the file directly when it is free and otherwise connects to that port
 * (measured in java-notes.md: {@code AUTO_SERVER} made whichever process opened first the
 * server and listened on every interface). Commits are durable at commit with
 * {@code WRITE_DELAY=0}: H2's default lost every committed row on a hard kill.
 */
public final class HistoryDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryDatabase.class);
    static final String NAME = "history";
    static final String USER = "sst";
    static final String KEY_FILE = "history.key";
    static final String PORT_FILE = "history.port";
    /** A reader holds the file for well under a second; the writer waits this long for it. */
    private static final long WRITER_LOCK_WAIT_MS = 15_000;
    /** How long a reader retries while a writer hands the file over (stops its server, closes). */
    private static final long HANDOVER_WAIT_MS = 5_000;
    /** How long a closing writer lets connected readers finish (each holds a session briefly). */
    private static final long READERS_FINISH_MS = 2_000;

    static {
        // Read once by H2 when its classes load: keep the TCP server off every other interface.
        System.setProperty("h2.bindAddress", "127.0.0.1");
    }

    private final Path dir;
    private final Connection connection;
    private final Server server;

    private HistoryDatabase(Path dir, Connection connection, Server server) {
        this.dir = dir;
        this.connection = connection;
        this.server = server;
    }

    public Path directory() {
        return dir;
    }

    public Connection connection() {
        return connection;
    }

    /** Opens (creating and migrating if needed) the history for an SST run that writes it. */
    public static HistoryDatabase openForWriting(Path dir) {
        try {
            PrivateFiles.createDirectory(dir);
            String password = passwordFor(dir, true);
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
            Server server = startLoopbackServer(dir);
            return new HistoryDatabase(dir, c, server);
        } catch (IOException | SQLException e) {
            throw new HistoryException("cannot open the run history in " + dir + ": " + e.getMessage()
                    + " (set [sst] history-dir to a directory the mysql user owns)", e);
        }
    }

    /**
     * Opens the history for reading only, never blocking a running SST: directly when no SST
     * holds the file, else through the running SST's loopback server.
     */
    public static HistoryDatabase openForReading(Path dir) {
        if (!Files.exists(dir.resolve(NAME + ".mv.db"))) {
            throw new HistoryException("no run history at " + dir + " (no SST has run with this datadir,"
                    + " or [sst] history-dir points elsewhere)");
        }
        try {
            Connection c = connectDirectOrThroughServer(dir, ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE");
            c.setReadOnly(true);
            return checkedForReaders(new HistoryDatabase(dir, c, null));
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.FILE_CORRUPTED_1) {
                throw new HistoryException("the run history in " + dir + " is damaged: " + e.getMessage()
                        + "; the next SST keeps it as " + NAME + ".mv.db.damaged-<time> and starts a new one", e);
            }
            throw new HistoryException("cannot read the run history in " + dir + ": " + e.getMessage(), e);
        } catch (IOException | NumberFormatException e) {
            throw new HistoryException("cannot read the run history in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * For sst-admin's few writes (cleanup and resume records): the file directly when no SST
     * holds it, else through the running SST's loopback server. Never migrates over a server.
     */
    public static HistoryDatabase openForUpdate(Path dir) {
        if (!Files.exists(dir.resolve(NAME + ".mv.db"))) {
            throw new HistoryException("no run history at " + dir);
        }
        try {
            Connection c = connectDirectOrThroughServer(dir, ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;IFEXISTS=TRUE");
            HistoryDatabase db = checkedForReaders(new HistoryDatabase(dir, c, null));
            if (c.getMetaData().getURL().startsWith("jdbc:h2:file:")) {
                migrate(c); // never over a running SST's server: that SST owns the schema it opened
            }
            return db;
        } catch (IOException | SQLException | NumberFormatException e) {
            throw new HistoryException("cannot update the run history in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file directly when no SST holds it, else the holder's loopback server. A writer that
     * is ending stops its server a moment before it releases the file; a reader that falls in
     * that gap tries both again for a short while instead of failing (seen in CI: a watch
     * ended with an error just as the SST it followed completed).
     */
    private static Connection connectDirectOrThroughServer(Path dir, String directOptions)
            throws IOException, SQLException {
        String password = passwordFor(dir, false);
        String file = dir.toAbsolutePath().resolve(NAME).toString();
        long deadline = System.currentTimeMillis() + HANDOVER_WAIT_MS;
        while (true) {
            try {
                return DriverManager.getConnection("jdbc:h2:file:" + file + directOptions, USER, password);
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    throw e;
                }
            }
            try {
                int port = Integer.parseInt(Files.readString(dir.resolve(PORT_FILE)).trim());
                return DriverManager.getConnection(
                        "jdbc:h2:tcp://127.0.0.1:" + port + "/" + file + ";IFEXISTS=TRUE", USER, password);
            } catch (IOException | SQLException | NumberFormatException e) {
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
                return DriverManager.getConnection(url, USER, password);
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
    public static final int SCHEMA_VERSION = 3;

    /**
     * Migrates only when the schema is behind: loading Flyway costs 0.2-0.4 s of start-up
     * (java-notes.md), and an SST starts on the joiner and then again on the donor.
     */
    private static void migrate(Connection c) throws SQLException {
        if (appliedVersion(c) >= SCHEMA_VERSION) {
            return;
        }
        Flyway flyway = Flyway.configure()
                .dataSource(new SingleConnectionDataSource(c))
                .locations("classpath:db/migration")
                .load();
        if (flyway.info().pending().length > 0) {
            flyway.migrate();
        }
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

    private void awaitRemoteReaders() throws SQLException {
        long deadline = System.currentTimeMillis() + READERS_FINISH_MS;
        while (System.currentTimeMillis() < deadline) {
            try (java.sql.Statement st = connection.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
                if (!rs.next() || rs.getInt(1) <= 1) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Server startLoopbackServer(Path dir) throws IOException, SQLException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // No -tcpAllowOthers: only local clients; -ifExists: no database can be created remotely.
        Server server = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifExists").start();
        PrivateFiles.write(dir.resolve(PORT_FILE), server.getPort() + "\n");
        return server;
    }

    /**
     * Hands the file over cleanly: first the port file goes, so new readers wait for the file
     * itself; then readers already connected get a moment to finish their query (stopping the
     * server breaks their sessions mid-query, seen in a test that polled a donor's history);
     * then the server stops and the file is released.
     */
    @Override
    public void close() {
        try {
            if (server != null) {
                Files.deleteIfExists(dir.resolve(PORT_FILE));
                awaitRemoteReaders();
                server.stop();
            }
            connection.close();
        } catch (SQLException | IOException e) {
            LOG.warn("closing the run history in {}: {}", dir, e.getMessage());
        }
    }
}
