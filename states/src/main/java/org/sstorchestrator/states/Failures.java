package org.sstorchestrator.states;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.sstorchestrator.wire.NoSpace;
import org.sstorchestrator.wire.WireException;

/**
 * The one place where what went wrong becomes an exit code. A stage throws
 * {@link SstException} when it knows the code; everything else is classified here, and the
 * distinction that matters most is where an I/O error happened: on the network (32, check the
 * peer and the link) or on a local disk (28 when it is full, else 22), because the remedy is
 * different. The stock script reports a full disk mid-stream as a failed transfer (32).
 */
public final class Failures {

    private Failures() {
    }

    /** A stage's exception as the exit code it ends in, with one line for the operator. */
    public static SstException classify(String stage, Throwable e) {
        if (e instanceof SstException s) {
            return s;
        }
        if (e instanceof WireException w) {
            return of(w);
        }
        if (e instanceof InterruptedException) {
            return new SstException(ExitCode.INTERRUPTED, "interrupted in " + stage);
        }
        if (e instanceof IOException io) {
            return isNetwork(io) ? new SstException(ExitCode.EPIPE, stage + ": the connection failed: " + io.getMessage(), io)
                    : local(stage, io);
        }
        if (noSpace(e)) {
            return new SstException(ExitCode.ENOSPC, stage + ": " + e.getMessage() + "; free space on that filesystem", e);
        }
        return new SstException(ExitCode.GENERIC, "unexpected error in " + stage + ": " + e, e);
    }

    /**
     * A failure of the wire as the exit code it ends in: a broken link is 32 (check the link and
     * the peer), a local one 28 when the disk is full and else 22, a setting this node cannot
     * apply 22, something missing 2, an interrupt 3.
     */
    public static SstException of(WireException e) {
        return switch (e.kind()) {
            case BROKEN_LINK -> new SstException(ExitCode.EPIPE, e.getMessage(), e.getCause());
            case DISK_FULL, LOCAL -> e.getCause() instanceof IOException io ? local(e.getMessage(), io)
                    : new SstException(ExitCode.EINVAL, e.getMessage(), e.getCause());
            case SETTING -> new SstException(ExitCode.EINVAL, e.getMessage(), e.getCause());
            case MISSING -> new SstException(ExitCode.ENOENT, e.getMessage(), e.getCause());
            case INTERRUPTED -> new SstException(ExitCode.INTERRUPTED, e.getMessage(), e.getCause());
        };
    }

    /** {@code e} as the exit code it ends in, whichever kind it is. */
    public static SstException of(RuntimeException e) {
        return e instanceof SstException s ? s : e instanceof WireException w ? of(w) : classify("the run", e);
    }

    /**
     * The one rule for a child (mariadb-backup, mbstream) that failed: 28 when what it wrote to
     * its log from {@code from} on says the disk filled ({@code fullDisk} says what that means
     * here), else {@code otherwise}.
     */
    public static SstException ofChild(Path log, long from, Supplier<String> fullDisk, Supplier<SstException> otherwise) {
        return childRanOutOfSpace(log, from) ? new SstException(ExitCode.ENOSPC, fullDisk.get()) : otherwise.get();
    }

    /** A failed read or write of a local file: 28 when the disk is full, else 22, naming the file. */
    public static SstException local(String what, IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? " (" + f.getFile() + ")" : "";
        if (noSpace(e)) {
            return new SstException(ExitCode.ENOSPC, what + ": the filesystem is full" + file + ": " + e.getMessage()
                    + "; free space on it, then start the node again", e);
        }
        return new SstException(ExitCode.EINVAL, what + ": local I/O failed" + file + ": " + e.getMessage(), e);
    }

    /**
     * A child (mariadb-backup, mbstream) that failed because the disk filled, told by what it
     * wrote to its log from {@code from} on (logs are appended to when archiving is off).
     */
    static boolean childRanOutOfSpace(Path log, long from) {
        try (java.nio.channels.SeekableByteChannel ch = java.nio.file.Files.newByteChannel(log)) {
            long start = Math.max(from, ch.size() - (1 << 20)); // its last MiB is where the error is
            ch.position(Math.max(0, start));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.max(0, ch.size() - ch.position()));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read to the end
            }
            return NoSpace.in(new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The size of {@code log} now, so that only what a child writes next is read. */
    public static long sizeOf(Path log) {
        try {
            return java.nio.file.Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    public static boolean noSpace(Throwable e) {
        return NoSpace.in(e);
    }

    private static boolean isNetwork(IOException e) {
        return e instanceof SocketException || e instanceof java.net.SocketTimeoutException
                || e instanceof java.net.UnknownHostException || e instanceof javax.net.ssl.SSLException;
    }
}
