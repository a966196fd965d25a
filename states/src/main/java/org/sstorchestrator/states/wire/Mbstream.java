package org.sstorchestrator.states.wire;

import java.nio.charset.StandardCharsets;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * The mbstream (xbstream) chunk format, as {@code mbstream -c} writes it:
 * magic {@code XBSTCK01}, flags (1 byte), type ({@code P} payload, {@code E} end of file),
 * path length (u32 LE), path; then for {@code P} only: payload length (u64 LE), offset
 * (u64 LE), CRC-32 of the payload (u32 LE) and the payload.
 */
public final class Mbstream {

    public static final byte[] MAGIC = "XBSTCK01".getBytes(StandardCharsets.US_ASCII);
    public static final byte PAYLOAD = 'P';
    public static final byte END = 'E';
    /** magic + flags + type + path length */
    public static final int HEADER = 8 + 1 + 1 + 4;
    /** payload length + offset + checksum */
    public static final int PAYLOAD_HEADER = 8 + 8 + 4;
    /** mbstream refuses a path of FN_REFLEN (512) bytes or more. */
    public static final int MAX_PATH = 511;

    private Mbstream() {
    }

    /**
     * Refuses a path that could land outside the target directory: absolute, with a ".."
     * component, empty components, backslashes or control characters (CVE-2026-44171).
     */
    public static String checkPath(String path) {
        boolean bad = path.isEmpty() || path.length() > MAX_PATH || path.startsWith("/") || path.contains("\\");
        for (String part : path.split("/", -1)) {
            bad |= part.isEmpty() || part.equals(".") || part.equals("..");
        }
        for (char ch : path.toCharArray()) {
            bad |= ch < 0x20 || ch == 0x7f;
        }
        if (bad) {
            throw new SstException(ExitCode.EPIPE, "the stream holds a file path that escapes the target directory: '"
                    + org.sstorchestrator.states.args.SstAddress.printable(path) + "'; refusing the whole stream");
        }
        return path;
    }

    static long u32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }

    static long u64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }

    static void putU32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static void putU64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
