package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.StreamOptions.Progress;

/**
 * {@code [sst] progress}: what the stock script's {@code pv -f -i 10 -N <role> -F '%N => Rate:%r
 * Avg:%a Elapsed:%t %e Bytes: %b %p'} shows, one line every 10 s and a last one at the end:
 *
 * <pre>    donor: => Rate:[20.0MiB/s] Avg:[19.9MiB/s] Elapsed:0:00:10 ETA 0:00:04 Bytes: 199MiB 71%</pre>
 *
 * Bytes are the backup stream's before compression, so the ETA against the donor's estimate of
 * its size means something (pv sits after the compressor). {@code progress=1} writes to stderr
 * (mysqld's error log); a path is appended to (created when missing; relative paths are taken
 * from the datadir). A FIFO is opened for reading and writing, which never blocks, and every
 * line goes through a small queue to a writer thread: when nobody reads the FIFO and it fills,
 * lines are dropped, and the stream never waits for them (the stock script's pv blocks the
 * whole SST until someone opens the FIFO). stdout stays mysqld's control channel alone.
 */
public final class ProgressLines implements AutoCloseable {

    static final long INTERVAL_NANOS = 10_000_000_000L;

    private static final ProgressLines NONE = new ProgressLines(null, "", null, () -> 0L);

    private final Sink sink;
    private final String role;
    private final Long total;
    private final LongSupplier nanos;
    private final long started;
    private long lastAt;
    private long lastBytes;

    ProgressLines(Sink sink, String role, Long total, LongSupplier nanos) {
        this.sink = sink;
        this.role = role;
        this.total = total;
        this.nanos = nanos;
        this.started = nanos.getAsLong();
        this.lastAt = started;
    }

    /** Lines for one stream as {@code progress} asks; none when it is unset or {@code none}. */
    public static ProgressLines open(Progress progress, Path datadir, String role, Long total, LongSupplier nanos) {
        if (progress.kind() == Progress.Kind.NONE) {
            return NONE;
        }
        Sink sink = progress.kind() == Progress.Kind.STDERR ? Sink.of(System.err, "stderr")
                : Sink.file(target(progress, datadir));
        return new ProgressLines(sink, role, total, nanos);
    }

    /** Before anything happens: a progress path we could not write fails the run now (22), not mid-stream. */
    public static void check(Progress progress, Path datadir) {
        if (progress.kind() != Progress.Kind.FILE) {
            return;
        }
        Path p = target(progress, datadir);
        if (Files.isDirectory(p)) {
            throw cannot(p, "it is a directory");
        }
        if (Files.exists(p) ? !Files.isWritable(p) : p.getParent() == null || !Files.isDirectory(p.getParent())
                || !Files.isWritable(p.getParent())) {
            throw cannot(p, Files.exists(p) ? "it is not writable by this user" : "its directory does not exist or is not"
                    + " writable by this user");
        }
    }

    private static SstException cannot(Path p, String why) {
        return new SstException(ExitCode.EINVAL, "[sst] progress = '" + p + "' cannot be written: " + why
                + "; name a writable file or FIFO, or set progress=1 for the error log");
    }

    static Path target(Progress progress, Path datadir) {
        Path p = Path.of(progress.path());
        return p.isAbsolute() ? p : datadir.resolve(p).toAbsolutePath().normalize();
    }

    /** A sample of the stream's byte count (the copy loop's, twice a second); a line every 10 s. */
    public void sample(long bytes) {
        if (sink == null) {
            return;
        }
        long now = nanos.getAsLong();
        if (now - lastAt >= INTERVAL_NANOS) {
            sink.offer(line(bytes, now, false));
            lastAt = now;
            lastBytes = bytes;
        }
    }

    /** The last line, with the final count. */
    public void finish(long bytes) {
        if (sink == null) {
            return;
        }
        sink.offer(line(bytes, nanos.getAsLong(), true));
    }

    String line(long bytes, long now, boolean last) {
        double elapsed = Math.max(1e-9, (now - started) / 1e9);
        double sinceLast = (now - lastAt) / 1e9;
        double rate = last || sinceLast <= 0 ? bytes / elapsed : (bytes - lastBytes) / sinceLast;
        double avg = bytes / elapsed;
        StringBuilder s = new StringBuilder(String.format("%9s: => Rate:[%s/s] Avg:[%s/s] Elapsed:%s", role, size(rate),
                size(avg), clock((long) elapsed)));
        if (total != null && total > 0) {
            long eta = last || avg <= 0 ? 0 : (long) Math.ceil(Math.max(0, total - bytes) / avg);
            s.append(" ETA ").append(clock(eta));
        }
        s.append(" Bytes: ").append(size(bytes));
        if (total != null && total > 0) {
            s.append(' ').append(Math.min(100, bytes * 100 / total)).append('%');
        }
        return s.toString();
    }

    /** pv's sizes: B, KiB, MiB, GiB, TiB with three significant digits. */
    static String size(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (bytes >= 1024 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        String n = u == 0 || bytes >= 100 ? String.format("%.0f", bytes) : bytes >= 10 ? String.format("%.1f", bytes)
                : String.format("%.2f", bytes);
        return n + units[u];
    }

    static String clock(long seconds) {
        return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** Lines dropped because the target did not keep up (a FIFO nobody reads). */
    public long dropped() {
        return sink == null ? 0 : sink.dropped.get();
    }

    @Override
    public void close() {
        if (sink != null) {
            sink.close();
        }
    }

    /** A bounded queue in front of the target, drained by a daemon thread: offering never blocks. */
    static final class Sink {
        private static final String END = "\u0000end";
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(64);
        private final AtomicLong dropped = new AtomicLong();
        private final Thread writer;

        private Sink(OutputStream out, Runnable closer, String name) {
            writer = new Thread(() -> {
                try {
                    for (String line = queue.take(); !line.equals(END); line = queue.take()) {
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // progress is for watching: losing it never fails the stream
                } finally {
                    closer.run();
                }
            }, "progress-" + name);
            writer.setDaemon(true);
            writer.start();
        }

        static Sink of(PrintStream err, String name) {
            return new Sink(err, () -> { }, name);
        }

        /**
         * A file (appended to) or a FIFO (opened read-write, so the open never waits for a
         * reader, Linux fifo(7)), never through a link: the path is the operator's, but the
         * directory it is in may not be, and whoever can plant a link there chose what the
         * SST appended to (issue 18).
         */
        static Sink file(Path p) {
            try {
                boolean fifo = Files.exists(p, LinkOption.NOFOLLOW_LINKS) && Files.readAttributes(p,
                        java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
                java.nio.channels.FileChannel ch = fifo
                        ? java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ,
                                java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
                        : java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.WRITE,
                                LinkOption.NOFOLLOW_LINKS);
                OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
                return new Sink(out, () -> closeQuietly(ch), fifo ? "fifo" : "file");
            } catch (java.nio.file.FileSystemException e) {
                if (Files.isSymbolicLink(p)) {
                    throw cannot(p, "it is a symbolic link, and progress is written to a file or FIFO itself, never"
                            + " through a link");
                }
                throw cannot(p, e.toString());
            } catch (IOException e) {
                throw cannot(p, e.toString());
            }
        }

        void offer(String line) {
            if (!queue.offer(line)) {
                dropped.incrementAndGet();
            }
        }

        /** Hands over the end; waits a moment for the last lines, never for a reader that is not there. */
        void close() {
            if (!queue.offer(END)) {
                writer.interrupt();
            }
            try {
                writer.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing left to do with it
            }
        }
    }
}
