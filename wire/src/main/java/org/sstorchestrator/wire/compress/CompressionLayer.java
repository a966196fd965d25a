package org.sstorchestrator.wire.compress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.sstorchestrator.wire.StreamLayer;

/**
 * A built-in compressor (donor) or decompressor (joiner) in the copy loop: no child process,
 * no extra copy. On the joiner, an error of the decoder is told from an error of the socket
 * under it, so the run's record says "corrupt zstd stream" rather than a bare read failure;
 * both end the transfer with 32, as a failing decompressor does in the stock pipeline.
 */
public final class CompressionLayer implements StreamLayer {

    private final Codec codec;
    private final boolean compress;
    private final String setting;

    private CompressionLayer(Codec codec, boolean compress, String setting) {
        this.codec = codec;
        this.compress = compress;
        this.setting = setting;
    }

    /** The donor's {@code compressor}. */
    public static CompressionLayer compressing(Codec codec, String setting) {
        return new CompressionLayer(codec, true, setting);
    }

    /** The joiner's {@code decompressor}. */
    public static CompressionLayer decompressing(Codec codec, String setting) {
        return new CompressionLayer(codec, false, setting);
    }

    public Codec codec() {
        return codec;
    }

    @Override
    public String name() {
        return "built-in " + codec.describe();
    }

    @Override
    public OutputStream sending(OutputStream toPeer) throws IOException {
        return compress ? codec.compressing(toPeer) : toPeer;
    }

    @Override
    public InputStream receiving(InputStream fromPeer) throws IOException {
        if (compress) {
            return fromPeer;
        }
        Marked wire = new Marked(fromPeer);
        InputStream decoded;
        try {
            decoded = codec.decompressing(wire);
        } catch (IOException e) {
            throw wire.classify(e, codec, setting);
        }
        return new FilterInputStream(decoded) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw wire.classify(e, codec, setting);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw wire.classify(e, codec, setting);
                }
            }
        };
    }

    /** The socket's stream, remembering its own failures so that the decoder's can be told apart. */
    private static final class Marked extends FilterInputStream {
        private volatile IOException own;
        private long bytes;
        private final byte[] head = new byte[8];
        private int headLength;

        Marked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = in.read();
                if (b >= 0 && headLength < head.length) {
                    head[headLength++] = (byte) b;
                }
                bytes += b < 0 ? 0 : 1;
                return b;
            } catch (IOException e) {
                own = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = in.read(b, off, len);
                for (int i = 0; i < n && headLength < head.length; i++) {
                    head[headLength++] = b[off + i];
                }
                bytes += Math.max(0, n);
                return n;
            } catch (IOException e) {
                own = e;
                throw e;
            }
        }

        IOException classify(IOException e, Codec codec, String setting) {
            if (e == own || own != null && (e.getCause() == own)) {
                return own; // the network's failure, reported as such
            }
            String why = String.valueOf(e.getMessage());
            Throwable c = e.getCause();
            if (c != null && c.getMessage() != null && !why.contains(c.getMessage())) {
                why += " (" + c.getMessage() + ")";
            }
            String seen = Codec.sniff(head, headLength).orElse("");
            String hint = why.contains("Dependent block") ? "; the donor's lz4 links its blocks (lz4 -BD), which the"
                    + " built-in reader does not read: set " + setting + " to the tool with its path, e.g. '/usr/bin/lz4 -d'"
                    : seen.equals("mbstream") ? "; it starts as an uncompressed mbstream: the donor does not compress, so"
                    + " remove " + setting + " on this joiner (or set [sst] compressor on the donor)"
                    : !seen.isEmpty() && !seen.equals(codec.format()) ? "; it starts like " + seen + " data: set " + setting
                    + " to match the donor's [sst] compressor"
                    : "; check that the donor's [sst] compressor writes " + codec.format() + " frames";
            return new IOException("the stream from the donor is not valid " + codec.format() + " data after " + bytes
                    + " bytes on the wire: " + why + hint, e);
        }
    }
}
