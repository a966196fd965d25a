package org.sstorchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 items 3 and 6: what answers on a history's socket is not trusted. The history is
 * the SST's user's; whatever listens on {@code history.sock} may name any path as "its copy",
 * and may connect and say nothing.
 */
class ReaderSocketTest {

    @TempDir
    Path tmp;

    /** A history held by "someone" (the file locked), and a fake SST on its socket giving {@code answer}. */
    private Thread fakeSst(Path dir, String answer, ServerSocketChannel server) {
        Thread t = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    java.io.InputStream in = java.nio.channels.Channels.newInputStream(c);
                    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                        // the request, whatever it is
                    }
                    c.write(ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8)));
                } catch (IOException closed) {
                    return;
                }
            }
        }, "fake-sst");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aCopyNamedOutsideTheSnapshotsDirectoryIsRefusedAndNothingThereIsDeleted() throws Exception {
        Path dir = tmp.resolve("h");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            new H2RunJournal(db, () -> 5L).runStarted(new NewRun("11111111-0000-4000-8000-000000000000", "joiner",
                    "/data", null, 1, 42L, "t", 1L));
        }
        Files.createDirectories(dir.resolve("snapshots/11111111-0000-4000-8000-000000000000")); // as an SST leaves them
        Path victim = Files.createDirectories(tmp.resolve("victim/inside"));
        Files.writeString(victim.resolve("precious"), "root's data");
        for (String answer : new String[] {"ok " + dir + "/snapshots/../../victim",
                "ok " + dir + "/snapshots/11111111-0000-4000-8000-000000000000/../../../victim"}) {
            try (FileChannel held = FileChannel.open(dir.resolve("history.mv.db"), StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock lock = held.lock();
                 ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(dir.resolve(ReaderService.SOCKET)));
                fakeSst(dir, answer, server);
                HistoryException e = assertThrows(HistoryException.class, () -> HistoryDatabase.openForReading(dir));
                assertTrue(Files.exists(victim.resolve("precious")), "the reader deleted " + victim + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("outside"), e.getMessage());
            } finally {
                Files.deleteIfExists(dir.resolve(ReaderService.SOCKET));
            }
            assertEquals("root's data", Files.readString(victim.resolve("precious")), answer);
        }
    }

    @Test
    void aClientThatConnectsAndSaysNothingDoesNotKeepTheNextReaderWaiting() throws Exception {
        Path dir = tmp.resolve("h");
        try (HistoryDatabase writer = HistoryDatabase.openForWriting(dir);
             SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.connect(UnixDomainSocketAddress.of(ReaderService.socketOf(dir)));
            String answer = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> ReaderService.request(ReaderService.socketOf(dir), "snapshot"));
            assertTrue(ReaderService.confinedSnapshot(dir, answer).startsWith(dir.resolve(ReaderService.SNAPSHOTS)), answer);
        }
    }

    @Test
    void aPeerThatNeverAnswersIsGivenUpOn() throws Exception {
        Path socket = tmp.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(socket));
                long t0 = System.nanoTime();
                assertThrows(java.net.SocketTimeoutException.class, () -> ReaderService.readLine(c, 300));
                assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
            }
        }
    }
}
