package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Writes small files as an mbstream, the way {@code mbstream -c} does, for transfer 1. */
public final class MbstreamWriter {

    private final OutputStream out;

    public MbstreamWriter(OutputStream out) {
        this.out = out;
    }

    public void file(String path, byte[] content) throws IOException {
        byte[] name = Mbstream.checkPath(path).getBytes(StandardCharsets.UTF_8);
        if (content.length > 0) {
            CRC32 crc = new CRC32();
            crc.update(content);
            byte[] head = header(name, Mbstream.PAYLOAD, Mbstream.PAYLOAD_HEADER);
            int p = Mbstream.HEADER + name.length;
            Mbstream.putU64(head, p, content.length);
            Mbstream.putU64(head, p + 8, 0);
            Mbstream.putU32(head, p + 16, crc.getValue());
            out.write(head);
            out.write(content);
        }
        out.write(header(name, Mbstream.END, 0));
    }

    private static byte[] header(byte[] name, byte type, int extra) {
        byte[] h = new byte[Mbstream.HEADER + name.length + extra];
        System.arraycopy(Mbstream.MAGIC, 0, h, 0, Mbstream.MAGIC.length);
        h[8] = 0;
        h[9] = type;
        Mbstream.putU32(h, 10, name.length);
        System.arraycopy(name, 0, h, Mbstream.HEADER, name.length);
        return h;
    }

    public void flush() throws IOException {
        out.flush();
    }
}
