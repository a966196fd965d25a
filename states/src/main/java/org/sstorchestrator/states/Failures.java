package org.sstorchestrator.states;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The one place where what went wrong becomes an exit code. A stage throws
 * {@link SstException} when it knows the code; everything else is classified here, and the
 * distinction that matters most is where an I/O error happened: on the network (32, check the
 * peer and the link) or on a local disk (28 when it is full, else 22), because the remedy is
 * different. The stock script reports a full disk mid-stream as a failed transfer (32).
 */
public final class Failures {

    /** How mariadb-backup, mbstream and the JDK say "no space left" (errno 28). */
    private static final List<String> NO_SPACE = List.of("no space left on device", "errcode: 28", "errno: 28",
            "errno 28", "error number 28", "(errno: 28", "disk full");

    private Failures() {
    }

    /** A stage's exception as the exit code it ends in, with one line for the operator. */
    public static SstException classify(String stage, Throwable e) {
        if (e instanceof SstException s) {
            return s;
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
    public static boolean childRanOutOfSpace(Path log, long from) {
        try (java.nio.channels.SeekableByteChannel ch = java.nio.file.Files.newByteChannel(log)) {
            long start = Math.max(from, ch.size() - (1 << 20)); // its last MiB is where the error is
            ch.position(Math.max(0, start));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.max(0, ch.size() - ch.position()));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read to the end
            }
            return noSpace(new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.ISO_8859_1));
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
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && noSpace(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean noSpace(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return NO_SPACE.stream().anyMatch(lower::contains);
    }

    private static boolean isNetwork(IOException e) {
        return e instanceof SocketException || e instanceof java.net.SocketTimeoutException
                || e instanceof java.net.UnknownHostException || e instanceof javax.net.ssl.SSLException;
    }
}
