package org.sstorchestrator.states.wire;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.wire.compress.Codec;

/**
 * Reads a small mbstream (transfer 1: the info files) into memory, checking magic, paths and
 * checksums. Large streams go to the real {@code mbstream -x} behind {@link MbstreamGuard}.
 */
public final class MbstreamReader {

    /** Transfer 1 holds a few short text files; anything bigger is not an info stream. */
    private static final long MAX_TOTAL = 1 << 20;
    /**
     * Nor is one of more chunks or files than this: an info stream is two or three files of a
     * chunk or two each. Empty chunks cost nothing against {@link #MAX_TOTAL}: 200,000 of them
     * were all read (and a buffer made for each new name) before the secret was checked.
     */
    static final int MAX_CHUNKS = 256;
    static final int MAX_FILES = 16;

    private MbstreamReader() {
    }

    public static Map<String, byte[]> readAll(InputStream in) throws IOException {
        try {
            return read(in);
        } catch (java.io.EOFException e) {
            throw new SstException(ExitCode.EPIPE, "transfer 1 ended in the middle of a chunk: the donor's stream is"
                    + " truncated or is not an mbstream");
        }
    }

    private static Map<String, byte[]> read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        Map<String, java.io.ByteArrayOutputStream> files = new LinkedHashMap<>();
        long total = 0;
        int chunks = 0;
        byte[] head = new byte[Mbstream.HEADER];
        while (true) {
            int first = data.read();
            if (first < 0) {
                break;
            }
            if (++chunks > MAX_CHUNKS) {
                throw new SstException(ExitCode.EPIPE, "transfer 1 holds more than " + MAX_CHUNKS + " chunks: an info"
                        + " stream is a few small files; refusing it");
            }
            head[0] = (byte) first;
            data.readFully(head, 1, head.length - 1);
            for (int i = 0; i < Mbstream.MAGIC.length; i++) {
                if (head[i] != Mbstream.MAGIC[i]) {
                    throw new SstException(ExitCode.EPIPE, "transfer 1 is not an mbstream (bad chunk magic)"
                            + Codec.sniff(head, head.length).filter(f -> !f.equals("mbstream")).map(f -> "; it starts"
                            + " like " + f + " data: the donor compresses (its [sst] compressor), so set [sst]"
                            + " decompressor on this joiner to match").orElse(""));
                }
            }
            long pathLength = Mbstream.u32(head, 10);
            if (pathLength > Mbstream.MAX_PATH) {
                throw new SstException(ExitCode.EPIPE, "transfer 1 has a chunk path of " + pathLength + " bytes");
            }
            byte[] name = new byte[(int) pathLength];
            data.readFully(name);
            String path = Mbstream.checkPath(new String(name, StandardCharsets.UTF_8));
            if (!files.containsKey(path) && files.size() >= MAX_FILES) {
                throw new SstException(ExitCode.EPIPE, "transfer 1 holds more than " + MAX_FILES + " files: an info"
                        + " stream is a few small files; refusing it");
            }
            java.io.ByteArrayOutputStream file = files.computeIfAbsent(path, p -> new java.io.ByteArrayOutputStream());
            if (head[9] == Mbstream.END) {
                continue;
            }
            if (head[9] != Mbstream.PAYLOAD) {
                throw new SstException(ExitCode.EPIPE, "transfer 1 has a chunk of unknown type " + head[9]);
            }
            byte[] ph = new byte[Mbstream.PAYLOAD_HEADER];
            data.readFully(ph);
            long length = Mbstream.u64(ph, 0);
            long offset = Mbstream.u64(ph, 8);
            // Unsigned on the wire: 2^63 and above read as negative here. Checked before any
            // arithmetic, so no length can wrap the running total past the cap.
            if (length < 0 || length > MAX_TOTAL - total) {
                throw new SstException(ExitCode.EPIPE, "transfer 1 is corrupt: a chunk of " + path + " claims "
                        + Long.toUnsignedString(length) + " bytes, more than the " + MAX_TOTAL
                        + " an info stream may hold (" + total + " received)");
            }
            total += length;
            if (offset != file.size()) {
                throw new SstException(ExitCode.EPIPE, "transfer 1 is corrupt: a chunk of " + path + " starts at offset "
                        + Long.toUnsignedString(offset) + " where " + file.size() + " bytes were received");
            }
            byte[] payload = new byte[(int) length];
            data.readFully(payload);
            CRC32 crc = new CRC32();
            crc.update(payload);
            if (crc.getValue() != Mbstream.u32(ph, 16)) {
                throw new SstException(ExitCode.EPIPE, "transfer 1: checksum mismatch in " + path);
            }
            file.write(payload);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.toByteArray()));
        return out;
    }
}
