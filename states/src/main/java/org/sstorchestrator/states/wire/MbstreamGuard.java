package org.sstorchestrator.states.wire;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * Sits in front of {@code mbstream -x} and parses chunk headers as bytes go through,
 * refusing the stream at the first path that escapes the target directory
 * (CVE-2026-44171) or the first malformed header, before mbstream sees it. Payload bytes are
 * passed on in bulk and never copied, so the guard costs a few comparisons per chunk.
 * {@link #finish()} tells a stream cut in the middle of a chunk from a complete one.
 */
public final class MbstreamGuard extends FilterOutputStream {

    private enum Part { HEADER, PATH, PAYLOAD_HEADER, PAYLOAD }

    private Part part = Part.HEADER;
    private final byte[] head = new byte[Mbstream.HEADER + Mbstream.MAX_PATH + Mbstream.PAYLOAD_HEADER];
    private int have;
    private int need = Mbstream.HEADER;
    private int pathLength;
    private long payloadLeft;
    private long chunks;
    private long files;

    public MbstreamGuard(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int pos = off;
        while (pos < end) {
            if (part == Part.PAYLOAD) {
                int n = (int) Math.min(payloadLeft, end - pos);
                pos += n;
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    startChunk();
                }
                continue;
            }
            int n = Math.min(need - have, end - pos);
            System.arraycopy(b, pos, head, have, n);
            have += n;
            pos += n;
            if (have == need) {
                headerPartDone();
            }
        }
        out.write(b, off, len);
    }

    private void headerPartDone() {
        switch (part) {
            case HEADER -> {
                for (int i = 0; i < Mbstream.MAGIC.length; i++) {
                    if (head[i] != Mbstream.MAGIC[i]) {
                        throw bad("a chunk does not start with XBSTCK01 (after " + chunks + " chunks)");
                    }
                }
                if (head[9] != Mbstream.PAYLOAD && head[9] != Mbstream.END) {
                    throw bad("a chunk has unknown type " + head[9]);
                }
                long len = Mbstream.u32(head, 10);
                if (len == 0 || len > Mbstream.MAX_PATH) {
                    throw bad("a chunk has a path of " + len + " bytes");
                }
                pathLength = (int) len;
                part = Part.PATH;
                need = Mbstream.HEADER + pathLength;
            }
            case PATH -> {
                Mbstream.checkPath(new String(head, Mbstream.HEADER, pathLength, StandardCharsets.UTF_8));
                if (head[9] == Mbstream.END) {
                    files++;
                    startChunk();
                } else {
                    part = Part.PAYLOAD_HEADER;
                    need = Mbstream.HEADER + pathLength + Mbstream.PAYLOAD_HEADER;
                }
            }
            case PAYLOAD_HEADER -> {
                payloadLeft = Mbstream.u64(head, Mbstream.HEADER + pathLength);
                if (payloadLeft < 0) { // 2^63 or more on the wire: no real file is that large
                    throw bad("a chunk of " + new String(head, Mbstream.HEADER, pathLength, StandardCharsets.UTF_8)
                            + " claims " + Long.toUnsignedString(payloadLeft) + " bytes");
                }
                if (payloadLeft == 0) {
                    startChunk();
                } else {
                    part = Part.PAYLOAD;
                }
            }
            default -> throw new IllegalStateException(part.name());
        }
    }

    private void startChunk() {
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

    public long files() {
        return files;
    }

    private static SstException bad(String what) {
        return new SstException(ExitCode.EPIPE, "the backup stream is corrupt: " + what);
    }
}
