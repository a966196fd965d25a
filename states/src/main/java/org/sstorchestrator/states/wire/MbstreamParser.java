package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * A push parser of the mbstream format as mariadb-backup 10.11 writes it, fed bytes in any
 * chunking. Every chunk type of 10.11 is understood: {@code P} payload, {@code E} end of
 * file, {@code S} seek (Aria log rewrites), {@code R} rename and {@code D} delete (DDL that
 * ran during the backup); the {@code 0x02} flag marks a file sent again to be rewritten.
 * Anything else, with or without the "ignorable" flag, is refused (the real mbstream writes
 * ignorable chunks into the named file as data).
 *
 * <p>Every path, both names of a rename and the path of a delete included, passes
 * {@link Mbstream#checkPath} before the handler sees it: the real {@code mbstream -x} checks
 * neither names of {@code R} nor the path of {@code D}, so a hostile stream could rename or
 * delete files outside the target through it. Payload bytes are handed on as they arrive and
 * never copied; the checksum is checked when the chunk ends.
 */
public final class MbstreamParser {

    /** What the stream asks for, chunk by chunk. Paths are checked before any call. */
    public interface Handler {
        /** Payload bytes of {@code path} at {@code position} (a chunk may arrive in several calls). */
        void payload(String path, int flags, long position, byte[] b, int off, int len) throws IOException;

        /** The payload chunk that started at {@code offset} with {@code length} bytes ended, its checksum good. */
        default void payloadEnd(String path, int flags, long offset, long length) throws IOException {
        }

        void seek(String path, long offset) throws IOException;

        void end(String path) throws IOException;

        void rename(String from, String to) throws IOException;

        /** {@code path} may end in {@code *}: every entry of that directory whose name starts with the prefix. */
        void delete(String path) throws IOException;
    }

    public static final int FLAG_REWRITE = 0x02;
    static final byte SEEK = 'S';
    static final byte RENAME = 'R';
    static final byte DELETE = 'D';

    private enum Part { HEADER, PATH, PAYLOAD_HEADER, PAYLOAD, SEEK_OFFSET, RENAME_LENGTH, RENAME_PATH }

    private final Handler handler;
    private final byte[] head = new byte[Mbstream.HEADER + 2 * Mbstream.MAX_PATH + Mbstream.PAYLOAD_HEADER];
    private final CRC32 crc = new CRC32();
    private Part part = Part.HEADER;
    private int have;
    private int need = Mbstream.HEADER;
    private int pathLength;
    private String path;
    private byte type;
    private int flags;
    private long payloadOffset;
    private long payloadLength;
    private long payloadLeft;
    private long expectedCrc;
    private int renameLength;
    private long chunks;
    private long ended;

    public MbstreamParser(Handler handler) {
        this.handler = handler;
    }

    public void feed(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int pos = off;
        while (pos < end) {
            if (part == Part.PAYLOAD) {
                int n = (int) Math.min(payloadLeft, end - pos);
                handler.payload(path, flags, payloadOffset + (payloadLength - payloadLeft), b, pos, n);
                crc.update(b, pos, n);
                pos += n;
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    payloadDone();
                }
                continue;
            }
            int n = Math.min(need - have, end - pos);
            System.arraycopy(b, pos, head, have, n);
            have += n;
            pos += n;
            if (have == need) {
                partDone();
            }
        }
    }

    private void partDone() throws IOException {
        switch (part) {
            case HEADER -> header();
            case PATH -> pathDone();
            case PAYLOAD_HEADER -> {
                int p = Mbstream.HEADER + pathLength;
                payloadLength = Mbstream.u64(head, p);
                payloadOffset = Mbstream.u64(head, p + 8);
                expectedCrc = Mbstream.u32(head, p + 16);
                if (payloadLength < 0 || payloadOffset < 0) { // 2^63 or more: no real file is that large
                    throw bad("a chunk of " + shown() + " claims " + Long.toUnsignedString(payloadLength) + " bytes at offset "
                            + Long.toUnsignedString(payloadOffset));
                }
                crc.reset();
                payloadLeft = payloadLength;
                if (payloadLeft == 0) {
                    payloadDone();
                } else {
                    part = Part.PAYLOAD;
                }
            }
            case SEEK_OFFSET -> {
                long offset = Mbstream.u64(head, Mbstream.HEADER + pathLength);
                if (offset < 0) {
                    throw bad("a seek in " + shown() + " to " + Long.toUnsignedString(offset));
                }
                handler.seek(path, offset);
                chunkDone();
            }
            case RENAME_LENGTH -> {
                long len = Mbstream.u32(head, Mbstream.HEADER + pathLength);
                if (len == 0 || len > Mbstream.MAX_PATH) {
                    throw bad("a rename of " + shown() + " to a name of " + len + " bytes");
                }
                renameLength = (int) len;
                part = Part.RENAME_PATH;
                need = Mbstream.HEADER + pathLength + 4 + renameLength;
            }
            case RENAME_PATH -> {
                String to = Mbstream.checkPath(new String(head, Mbstream.HEADER + pathLength + 4, renameLength,
                        StandardCharsets.UTF_8));
                handler.rename(path, to);
                chunkDone();
            }
            default -> throw new IllegalStateException(part.name());
        }
    }

    private void header() {
        for (int i = 0; i < Mbstream.MAGIC.length; i++) {
            if (head[i] != Mbstream.MAGIC[i]) {
                throw bad("a chunk does not start with XBSTCK01 (after " + chunks + " chunks)");
            }
        }
        flags = head[8] & 0xff;
        type = head[9];
        if (type != Mbstream.PAYLOAD && type != Mbstream.END && type != SEEK && type != RENAME && type != DELETE) {
            throw bad("a chunk has unknown type " + (type & 0xff) + " (after " + chunks + " chunks)");
        }
        long len = Mbstream.u32(head, 10);
        if (len == 0 || len > Mbstream.MAX_PATH) {
            throw bad("a chunk has a path of " + len + " bytes");
        }
        pathLength = (int) len;
        part = Part.PATH;
        need = Mbstream.HEADER + pathLength;
    }

    private void pathDone() throws IOException {
        String raw = new String(head, Mbstream.HEADER, pathLength, StandardCharsets.UTF_8);
        path = type == DELETE && raw.endsWith("*") ? Mbstream.checkPath(raw.substring(0, raw.length() - 1)) + "*"
                : Mbstream.checkPath(raw);
        switch (type) {
            case Mbstream.END -> {
                handler.end(path);
                ended++;
                chunkDone();
            }
            case DELETE -> {
                handler.delete(path);
                chunkDone();
            }
            case SEEK -> {
                part = Part.SEEK_OFFSET;
                need = Mbstream.HEADER + pathLength + 8;
            }
            case RENAME -> {
                part = Part.RENAME_LENGTH;
                need = Mbstream.HEADER + pathLength + 4;
            }
            default -> {
                part = Part.PAYLOAD_HEADER;
                need = Mbstream.HEADER + pathLength + Mbstream.PAYLOAD_HEADER;
            }
        }
    }

    private void payloadDone() throws IOException {
        if (crc.getValue() != expectedCrc) {
            throw bad("checksum mismatch in a chunk of " + shown() + " at offset " + payloadOffset);
        }
        handler.payloadEnd(path, flags, payloadOffset, payloadLength);
        chunkDone();
    }

    private void chunkDone() {
        chunks++;
        part = Part.HEADER;
        have = 0;
        need = Mbstream.HEADER;
    }

    /** Throws unless the stream ended exactly at a chunk boundary. */
    public void finish() {
        if (part != Part.HEADER || have != 0) {
            throw bad("the stream ended in the middle of a chunk (truncated after " + chunks + " chunks)");
        }
    }

    public long chunks() {
        return chunks;
    }

    /** Files whose end ({@code E}) was seen. */
    public long filesEnded() {
        return ended;
    }

    private String shown() {
        return org.sstorchestrator.states.args.SstAddress.printable(path == null ? "?" : path);
    }

    static SstException bad(String what) {
        return new SstException(ExitCode.EPIPE, "the backup stream is corrupt: " + what);
    }
}
