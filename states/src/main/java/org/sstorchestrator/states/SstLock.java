package org.sstorchestrator.states;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        Path file = datadir.resolve(FILE);
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<Long> owner = liveOwner(file);
            if (owner.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new SstException(ExitCode.EALREADY, "a previous SST (pid " + owner.get() + ", " + file
                        + ") is still running after " + wait.toSeconds() + " s");
            }
            LOG.info("Previous SST (pid {}) is not completed, waiting for it to exit", owner.get());
            sleep(1000);
        }
        try {
            Files.writeString(file, ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new SstException(ExitCode.EINVAL, "cannot write " + file + ": " + e.getMessage(), e);
        }
        return new SstLock(file);
    }

    /** The pid in the file if that process is alive and is the one that wrote it. */
    public static Optional<Long> liveOwner(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(file).trim());
            long written = Files.getLastModifiedTime(file).toMillis();
            if (pid == ProcessHandle.current().pid()) {
                return Optional.empty();
            }
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(s -> s.toEpochMilli() <= written + TOLERANCE_MS).orElse(true))
                    .map(p -> pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // unreadable or garbage: nobody can own it
        }
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
