package org.sstorchestrator.persistence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How sst-admin reads a history that a running SST holds (H2's embedded file is exclusive to
 * one process), without any TCP port: a Unix-domain socket in the history's owner-only
 * directory, on which the SST answers two requests.
 * <ul>
 *   <li>{@code snapshot}: H2's {@code BACKUP TO} (transactionally consistent, no lock) unpacked
 *       into a private directory; the reader opens that copy read-only and deletes it.</li>
 *   <li>{@code action <run> <name> <base64 detail>}: one {@code admin_action} row, the only
 *       write sst-admin makes while an SST runs (cleanup of an older run).</li>
 * </ul>
 * This replaces an H2 TCP server on 127.0.0.1, through which any local user could open a
 * database of their own and run Java code in the SST's process (issue 6; ForeignUserTest).
 * Only a peer running as the SST's user or as root is answered (SO_PEERCRED), and only these
 * two requests exist: no SQL crosses the socket.
 */
final class ReaderService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReaderService.class);
    static final String SOCKET = "history.sock";
    /** Where the socket is when the history's path is too long for one (sun_path holds 107 bytes). */
    static final String SOCKET_POINTER = "history.sock.path";
    static final String SNAPSHOTS = "snapshots";
    private static final int MAX_SOCKET_PATH = 100;
    private static final int MAX_REQUEST = 8192;
    /** A request is one short line, sent at once. */
    static final long REQUEST_TIMEOUT_MS = 5_000;
    /** A copy of a history of 10,000 runs takes well under a second. */
    static final long ANSWER_TIMEOUT_MS = 30_000;

    private final Path dir;
    private final Connection connection;
    private final ServerSocketChannel server;
    private final Path socket;
    private final Path privateDir;
    private final Thread acceptor;
    private final String self = System.getProperty("user.name");
    private volatile boolean closing;

    private ReaderService(Path dir, Connection connection, ServerSocketChannel server, Path socket, Path privateDir) {
        this.dir = dir;
        this.connection = connection;
        this.server = server;
        this.socket = socket;
        this.privateDir = privateDir;
        this.acceptor = new Thread(this::serve, "history-readers");
        this.acceptor.setDaemon(true);
    }

    static ReaderService start(Path dir, Connection connection) throws IOException {
        deleteSnapshots(dir.resolve(SNAPSHOTS)); // a reader that died left its copy
        Files.deleteIfExists(dir.resolve(SOCKET));
        Files.deleteIfExists(dir.resolve(SOCKET_POINTER));
        Path socket = dir.toAbsolutePath().resolve(SOCKET);
        Path privateDir = null;
        if (socket.toString().length() > MAX_SOCKET_PATH) {
            privateDir = Files.createTempDirectory("sst-history-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            socket = privateDir.resolve(SOCKET);
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        if (privateDir != null) {
            PrivateFiles.write(dir.resolve(SOCKET_POINTER), socket + "\n");
        }
        ReaderService service = new ReaderService(dir, connection, server, socket, privateDir);
        service.acceptor.start();
        return service;
    }

    /** The socket of the SST that holds {@code dir}, if one says it serves readers. */
    static Path socketOf(Path dir) throws IOException {
        Path pointer = dir.resolve(SOCKET_POINTER);
        if (Files.exists(pointer)) {
            return Path.of(Files.readString(pointer).trim());
        }
        return dir.toAbsolutePath().resolve(SOCKET);
    }

    private void serve() {
        while (!closing) {
            try (SocketChannel client = server.accept()) {
                answer(client);
            } catch (IOException | RuntimeException e) {
                if (!closing) {
                    LOG.debug("a history reader's request failed: {}", e.toString());
                }
            }
        }
    }

    private void answer(SocketChannel client) throws IOException {
        String peer = client.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
        if (!peer.equals(self) && !peer.equals("root")) {
            reply(client, "error only " + self + " or root may read this history");
            return;
        }
        String request = readLine(client, REQUEST_TIMEOUT_MS);
        try {
            if (request.equals("snapshot")) {
                reply(client, "ok " + snapshot());
            } else if (request.startsWith("action ")) {
                String[] p = request.split(" ", 4);
                if (p.length != 4 || !p[1].matches("[0-9a-f-]{36}|-") || !p[2].matches("[a-z_]{1,32}")) {
                    reply(client, "error malformed action");
                    return;
                }
                String detail = new String(Base64.getDecoder().decode(p[3]), StandardCharsets.UTF_8);
                synchronized (connection) {
                    new H2RunJournal(connection, System::currentTimeMillis).adminAction(p[1].equals("-") ? null : p[1],
                            p[2], detail);
                }
                reply(client, "ok");
            } else {
                reply(client, "error unknown request");
            }
        } catch (SQLException | IOException | HistoryException e) {
            reply(client, "error " + e.getMessage().replace('\n', ' '));
        }
    }

    /** A consistent copy of the database, unpacked where only the history's owner (and root) can read it. */
    private Path snapshot() throws SQLException, IOException {
        Path snapshots = dir.resolve(SNAPSHOTS);
        PrivateFiles.createDirectory(snapshots);
        String id = UUID.randomUUID().toString();
        Path zip = snapshots.resolve(id + ".zip");
        synchronized (connection) {
            try (Statement st = connection.createStatement()) {
                st.execute("BACKUP TO '" + zip + "'"); // a path of ours: no quote can be in it
            }
        }
        Path copy = Files.createDirectory(snapshots.resolve(id),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = Path.of(e.getName()).getFileName().toString();
                if (name.startsWith(HistoryDatabase.NAME + ".")) {
                    Files.copy(in, copy.resolve(name));
                }
            }
        } finally {
            Files.deleteIfExists(zip);
        }
        return copy;
    }

    private static void reply(SocketChannel client, String line) throws IOException {
        client.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * One line of at most {@value #MAX_REQUEST} bytes within {@code timeoutMs}: a peer that
     * connects and says nothing, or never answers, is given up on. Requests are answered one at
     * a time, and one silent client once wedged every later reader (issue 18).
     */
    static String readLine(SocketChannel ch, long timeoutMs) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(512);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        ch.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("no complete line within " + timeoutMs + " ms");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    return line.toString(StandardCharsets.UTF_8);
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        return line.toString(StandardCharsets.UTF_8);
                    }
                    if (line.size() >= MAX_REQUEST) {
                        throw new IOException("line longer than " + MAX_REQUEST + " bytes");
                    }
                    line.write(b);
                }
            }
        } finally {
            ch.configureBlocking(true); // the selector is closed: the channel is free of it
        }
    }

    /** A reader's side: one request, one line of answer. */
    static String request(Path socket, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            String answer = readLine(ch, ANSWER_TIMEOUT_MS);
            if (!answer.startsWith("ok")) {
                throw new IOException("the running SST refused: " + answer);
            }
            return answer.length() > 3 ? answer.substring(3) : "";
        }
    }

    /** New readers find nothing from here on; a request being answered finishes first. */
    @Override
    public void close() {
        closing = true;
        try {
            Files.deleteIfExists(dir.resolve(SOCKET_POINTER));
            Files.deleteIfExists(socket);
            server.close();
            acceptor.join(2_000);
            if (privateDir != null) {
                PrivateFiles.deleteFlat(privateDir);
            }
        } catch (IOException e) {
            LOG.warn("closing the history's reader socket: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The copies readers left (each a flat directory, or a zip being unpacked), then their directory. */
    private static void deleteSnapshots(Path snapshots) throws IOException {
        if (Files.isDirectory(snapshots, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> copies = Files.list(snapshots)) {
                for (Path copy : copies.toList()) {
                    PrivateFiles.deleteFlat(copy);
                }
            }
        }
        PrivateFiles.deleteFlat(snapshots);
    }

    /**
     * The copy a running SST named, if it is one: exactly {@code <history>/snapshots/<uuid>},
     * a directory and not a link. Anything on the socket may have answered (the history is the
     * SST's user's, and a root sst-admin acts on it as that user, but still): a path that
     * leaves the snapshots directory is refused before anything is opened or deleted; it was
     * checked after a prefix test on the unnormalised path, and {@code snapshots/../../X}
     * passed, and was deleted when the open failed (issue 18).
     */
    static Path confinedSnapshot(Path historyDir, String answer) throws IOException {
        Path snapshots = historyDir.toAbsolutePath().normalize().resolve(SNAPSHOTS);
        Path copy = Path.of(answer);
        if (!copy.isAbsolute() || !copy.equals(copy.normalize()) || !snapshots.equals(copy.getParent())
                || !copy.getFileName().toString().matches(UUID_NAME)) {
            throw new IOException("the running SST answered with a copy outside " + snapshots + ": " + answer.replaceAll("\\p{Cntrl}", "?"));
        }
        if (!Files.isDirectory(snapshots, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || !Files.isDirectory(copy, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the running SST's copy " + copy + " is not a directory of its own (a link?)");
        }
        return copy;
    }

    private static final String UUID_NAME = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
}
