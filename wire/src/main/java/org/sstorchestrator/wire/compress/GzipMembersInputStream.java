package org.sstorchestrator.wire.compress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;
import org.sstorchestrator.wire.BlockInputStream;

/**
 * Reads a gzip stream of one or more members, as {@code gzip -d} does, checking each member's
 * CRC-32 and length. Not {@link java.util.zip.GZIPInputStream}: that one decides whether another
 * member follows from {@code available()}, so on a socket a member boundary that arrives in a
 * later packet ends the stream early, silently (JDK-7036144). Here only the end of the input
 * ends it; an end inside a member, or anything but a member after one, is an error.
 */
final class GzipMembersInputStream extends BlockInputStream {

    private static final int FTEXT = 1;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int BUFFER = 1 << 16;

    private final PushbackInputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[BUFFER];
    private boolean inMember;
    private boolean ended;
    private long members;
    private long memberBytes;

    GzipMembersInputStream(InputStream in) {
        this.in = new PushbackInputStream(in, BUFFER);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (ended) {
                return -1;
            }
            if (!inMember) {
                if (!header()) {
                    ended = true;
                    return -1;
                }
                inMember = true;
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("corrupt gzip data in member " + (members + 1) + ": " + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                int left = inflater.getRemaining();
                if (left > 0) {
                    in.unread(buf, lastFill - left, left);
                }
                trailer();
                inMember = false;
                continue;
            }
            if (inflater.needsDictionary()) {
                throw new ZipException("gzip member " + (members + 1) + " asks for a preset dictionary");
            }
            if (inflater.needsInput()) {
                lastFill = in.read(buf, 0, buf.length);
                if (lastFill < 0) {
                    throw new EOFException("the gzip stream ends inside member " + (members + 1) + " (truncated)");
                }
                inflater.setInput(buf, 0, lastFill);
            }
        }
    }

    private int lastFill;

    /** Reads a member header; false at a clean end of the input after at least one member. */
    private boolean header() throws IOException {
        int id1 = in.read();
        if (id1 < 0) {
            if (members == 0) {
                throw new EOFException("the gzip stream is empty");
            }
            return false;
        }
        int id2 = in.read();
        int cm = in.read();
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new ZipException(members == 0 ? "not a gzip stream (bad magic)"
                    : "unexpected data after gzip member " + members);
        }
        if (cm != 8) {
            throw new ZipException("gzip member " + (members + 1) + " uses compression method " + cm + ", not deflate");
        }
        int flags = byteOf();
        if ((flags & 0xe0) != 0) {
            throw new ZipException("gzip member " + (members + 1) + " has reserved flags set");
        }
        skip(6); // mtime, xfl, os
        if ((flags & FEXTRA) != 0) {
            skip(byteOf() | byteOf() << 8);
        }
        if ((flags & FNAME) != 0) {
            zeroTerminated();
        }
        if ((flags & FCOMMENT) != 0) {
            zeroTerminated();
        }
        if ((flags & FHCRC) != 0) {
            skip(2);
        }
        assert (flags & FTEXT) >= 0; // FTEXT is only a hint
        inflater.reset();
        crc.reset();
        memberBytes = 0;
        return true;
    }

    private void trailer() throws IOException {
        long expectedCrc = le32();
        long expectedSize = le32();
        members++;
        if (expectedCrc != crc.getValue()) {
            throw new ZipException("gzip member " + members + " fails its CRC-32 check (corrupt data)");
        }
        if (expectedSize != (memberBytes & 0xffffffffL)) {
            throw new ZipException("gzip member " + members + " has the wrong length (corrupt data)");
        }
    }

    private int byteOf() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the gzip stream ends inside a member header or trailer (truncated)");
        }
        return b;
    }

    private void skip(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            byteOf();
        }
    }

    private void zeroTerminated() throws IOException {
        while (byteOf() != 0) {
            // a file name or comment: not ours to use
        }
    }

    private long le32() throws IOException {
        return (byteOf() | byteOf() << 8 | byteOf() << 16 | (long) byteOf() << 24) & 0xffffffffL;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
