package org.sstorchestrator.states.layout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.stock.StockLine;

/**
 * One SST per datadir (promise P9), through the same {@code <datadir>/wsrep_sst.pid} the
 * stock script uses, so ours and a stock run see each other. A pid alone can be reused after
 * a crash: the owner counts as alive only if that pid's process started before the file was
 * written. Like the stock script, wait up to 30 s for a live owner, then exit 114.
 */
public final class SstLock {

    private static final Logger LOG = LoggerFactory.getLogger(SstLock.class);
    public static final String FILE = "wsrep_sst.pid";
    private static final long TOLERANCE_MS = 2_000;

    private final Path file;

    private SstLock(Path file) {
        this.file = file;
    }

    public static SstLock acquire(Path datadir, Duration wait) {
        return acquire(datadir, wait, System::nanoTime);
    }

    /** As above, timed by the run's own clock. */
    public static SstLock acquire(Path datadir, Duration wait, java.util.function.LongSupplier nanos) {
        Path file = datadir.resolve(FILE);
        long deadline = nanos.getAsLong() + wait.toNanos();
        while (true) {
            if (create(file)) {
                return new SstLock(file);
            }
            Optional<Long> owner = liveOwner(file);
            if (owner.isEmpty()) {
                takeOverStale(file);
                continue;
            }
            if (nanos.getAsLong() > deadline) {
                throw StockLine.PREVIOUS_SST_RUNNING.failure(ExitCode.EALREADY, " (pid " + owner.get() + ", " + file
                        + ", still running after " + wait.toSeconds() + " s)");
            }
            StockLine.PREVIOUS_SST_WAITING.logWith(" (pid " + owner.get() + ")");
            sleep(1000);
        }
    }

    /**
     * Exclusive and whole: the pid is written to a file of our own, which is then hard-linked to
     * the marker's name; link(2) fails when the name exists, so of two SSTs that start together
     * exactly one gets the datadir (the old check-then-write let both decide it was free), and
     * nobody ever sees the marker empty (an empty marker would look like nobody's).
     */
    private static boolean create(Path file) {
        Path mine = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".new");
        try {
            Files.deleteIfExists(mine);
            try (FileChannel ch = FileChannel.open(mine, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
            Files.createLink(file, mine);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } catch (IOException e) {
            throw new SstException(ExitCode.EINVAL, "cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(mine);
            } catch (IOException ignored) {
                // a stray .new file is harmless; the wipe's keep-list does not keep it
            }
        }
    }

    /**
     * Removes a marker whose owner is gone, so the next {@link #create} can take the datadir. Two
     * SSTs may find the same stale marker: each locks the file it opened and removes it only if,
     * once it holds the lock, the path still names that file and it is still stale. The other
     * then finds the path changed (or gone), and goes back to the exclusive create.
     */
    private static void takeOverStale(Path file) {
        try {
            Object before = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
                 FileLock held = ch.tryLock()) {
                if (held == null) {
                    sleep(20); // another SST is taking it over: see what it made of it
                    return;
                }
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                // Read through the locked channel, never by opening the path again: closing any
                // other descriptor of the file drops this process's fcntl lock on it (POSIX), and
                // with it the only thing that keeps a second SST from deleting the marker the first
                // one has just written in the stale one's place (seen: two winners of six).
                if (before != null && before.equals(attrs.fileKey())
                        && liveOwner(read(ch), attrs.lastModifiedTime().toMillis()).isEmpty()) {
                    LOG.info("Removing the stale {} of a previous SST", file.getFileName());
                    Files.delete(file);
                }
            }
        } catch (java.nio.file.NoSuchFileException | java.nio.channels.OverlappingFileLockException gone) {
            // taken over, or removed, by another SST meanwhile: back to the exclusive create
        } catch (IOException e) {
            throw new SstException(ExitCode.EINVAL, "cannot replace the stale " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code datadir}'s lock names {@code pid}: that process holds the datadir (the running SST asks it of itself). */
    public static boolean heldBy(Path datadir, long pid) {
        try {
            Path file = datadir.resolve(FILE);
            return Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(file).trim().equals(Long.toString(pid));
        } catch (IOException e) {
            return false;
        }
    }

    /** The pid in the file if that process is alive and is the one that wrote it. */
    public static Optional<Long> liveOwner(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return liveOwner(Files.readString(file), Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
            return Optional.empty(); // unreadable: nobody can own it
        }
    }

    private static Optional<Long> liveOwner(String content, long written) {
        long pid;
        try {
            pid = Long.parseLong(content.trim());
        } catch (NumberFormatException garbage) {
            return Optional.empty();
        }
        if (pid == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(s -> s.toEpochMilli() <= written + TOLERANCE_MS).orElse(true))
                .map(p -> pid);
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64); // a pid and a newline; more is garbage either way
        ch.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }

    public void release() {
        try {
            String content = Files.exists(file) ? Files.readString(file).trim() : "";
            if (content.equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", file, e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SstException(ExitCode.INTERRUPTED, "interrupted while waiting for a previous SST");
        }
    }
}
