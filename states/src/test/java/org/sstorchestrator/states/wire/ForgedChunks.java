package org.sstorchestrator.states.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** mbstream chunks as an attacker (or mariadb-backup 10.11) writes them, byte by byte, for the tests. */
public final class ForgedChunks {

    private ForgedChunks() {
    }

    /** A chunk of any type, any flags, any path, with a raw trailer (seek offset, rename target, payload header). */
    public static byte[] chunk(char type, int flags, String path, byte[] trailer) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        return chunk(type, flags, name, name.length, trailer);
    }

    /** As above with a claimed path length that need not be the real one. */
    public static byte[] chunk(char type, int flags, byte[] name, long claimedPathLength, byte[] trailer) {
        byte[] out = new byte[Mbstream.HEADER + name.length + trailer.length];
        System.arraycopy(Mbstream.MAGIC, 0, out, 0, Mbstream.MAGIC.length);
        out[8] = (byte) flags;
        out[9] = (byte) type;
        Mbstream.putU32(out, 10, claimedPathLength);
        System.arraycopy(name, 0, out, Mbstream.HEADER, name.length);
        System.arraycopy(trailer, 0, out, Mbstream.HEADER + name.length, trailer.length);
        return out;
    }

    /** A payload chunk claiming {@code claimedLength} bytes at {@code offset}, with {@code payload} after it. */
    public static byte[] payload(String path, int flags, long claimedLength, long offset, byte[] payload) {
        byte[] header = new byte[Mbstream.PAYLOAD_HEADER + payload.length];
        Mbstream.putU64(header, 0, claimedLength);
        Mbstream.putU64(header, 8, offset);
        CRC32 crc = new CRC32();
        crc.update(payload);
        Mbstream.putU32(header, 16, crc.getValue());
        System.arraycopy(payload, 0, header, Mbstream.PAYLOAD_HEADER, payload.length);
        return chunk('P', flags, path, header);
    }

    public static byte[] payload(String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return payload(path, 0, b.length, 0, b);
    }

    public static byte[] end(String path) {
        return chunk('E', 0, path, new byte[0]);
    }

    public static byte[] renameTo(String to) {
        byte[] name = to.getBytes(StandardCharsets.UTF_8);
        byte[] t = new byte[4 + name.length];
        Mbstream.putU32(t, 0, name.length);
        System.arraycopy(name, 0, t, 4, name.length);
        return t;
    }

    public static byte[] seekTo(long offset) {
        byte[] t = new byte[8];
        Mbstream.putU64(t, 0, offset);
        return t;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    /** A whole file as the writer sends it: its payload, then its end. */
    public static byte[] file(String path, String content) throws IOException {
        return concat(payload(path, content), end(path));
    }
}
