package org.sstorchestrator.wire.compress;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * A compressor we run in the copy loop instead of a child process, writing the frame format of
 * the command-line tool it stands for, so that the real tool on a stock node reads what we
 * write ({@code zstd -d}, {@code lz4 -d}, {@code gzip -d}/{@code pigz -d}) and we read what it
 * writes (CodecInteropTest runs both directions against the installed tools). Which command
 * lines become which codec is {@code config.CompressionCommand}'s business.
 *
 * <p>Decompressing reads bytes from the other node: only bounds-checked decoders are used
 * (zstd's own, lz4-java's safe decoder, our gzip member reader), and a stream that ends in the
 * middle of a frame is an error, never a short file.
 */
public sealed interface Codec permits Codec.Zstd, Codec.Lz4, Codec.Gzip {

    /** For logs and the run's record: "zstd -3 -T2". */
    String describe();

    /** The frame format's name: zstd, lz4 or gzip. */
    String format();

    /**
     * What a stream that starts with {@code head} looks like, for messages when the two nodes'
     * settings disagree: a compressed format's name, "mbstream" for an uncompressed stream, or
     * empty. Judged from the magic numbers alone.
     */
    static java.util.Optional<String> sniff(byte[] head, int length) {
        if (starts(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
            return java.util.Optional.of("zstd");
        }
        if (starts(head, length, 0x04, 0x22, 0x4d, 0x18)) {
            return java.util.Optional.of("lz4");
        }
        if (starts(head, length, 0x1f, 0x8b)) {
            return java.util.Optional.of("gzip");
        }
        if (starts(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return java.util.Optional.of("xz");
        }
        if (starts(head, length, 'B', 'Z', 'h')) {
            return java.util.Optional.of("bzip2");
        }
        if (starts(head, length, 'X', 'B', 'S', 'T', 'C', 'K', '0', '1')) {
            return java.util.Optional.of("mbstream");
        }
        return java.util.Optional.empty();
    }

    private static boolean starts(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    OutputStream compressing(OutputStream out) throws IOException;

    InputStream decompressing(InputStream in) throws IOException;

    /** zstd frames; {@code workers} 0 is one thread, as {@code zstd -T1}. Checksummed, as the tool does by default. */
    record Zstd(int level, int workers) implements Codec {

        public static final int DEFAULT_LEVEL = 3;

        @Override
        public String describe() {
            return "zstd " + (level < 0 ? "--fast=" + -level : "-" + level) + (workers > 1 ? " -T" + workers : "");
        }

        @Override
        public String format() {
            return "zstd";
        }

        @Override
        public OutputStream compressing(OutputStream out) throws IOException {
            ZstdLibrary.load();
            ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, level);
            z.setChecksum(true);
            if (workers > 1) {
                z.setWorkers(workers);
            }
            return z;
        }

        @Override
        public InputStream decompressing(InputStream in) throws IOException {
            ZstdLibrary.load();
            // not continuous: a stream that ends inside a frame is "truncated source", an error
            return new ZstdInputStreamNoFinalizer(in);
        }
    }

    /**
     * LZ4 frames as {@code lz4} writes them by default: independent blocks, a content checksum;
     * levels 1-2 use the fast compressor, 3-12 the high-compression one, as the tool does.
     * {@code blockSizeId} is the tool's {@code -B4}..{@code -B7} (64 KiB .. 4 MiB, default 7).
     */
    record Lz4(int level, int blockSizeId, boolean contentChecksum, boolean blockChecksum) implements Codec {

        public static final int DEFAULT_LEVEL = 1;
        public static final int DEFAULT_BLOCK = 7;

        @Override
        public String describe() {
            return "lz4 -" + level + " -B" + blockSizeId + (contentChecksum ? "" : " --no-frame-crc")
                    + (blockChecksum ? " -BX" : "");
        }

        @Override
        public String format() {
            return "lz4";
        }

        @Override
        public OutputStream compressing(OutputStream out) throws IOException {
            LZ4Factory f = LZ4Factory.fastestJavaInstance();
            LZ4FrameOutputStream.BLOCKSIZE size = switch (blockSizeId) {
                case 4 -> LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB;
                case 5 -> LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB;
                case 6 -> LZ4FrameOutputStream.BLOCKSIZE.SIZE_1MB;
                default -> LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB;
            };
            java.util.List<LZ4FrameOutputStream.FLG.Bits> bits = new java.util.ArrayList<>();
            bits.add(LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
            if (contentChecksum) {
                bits.add(LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
            }
            if (blockChecksum) {
                bits.add(LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM);
            }
            return new LZ4FrameOutputStream(out, size, -1L, level >= 3 ? f.highCompressor(level) : f.fastCompressor(),
                    XXHashFactory.fastestJavaInstance().hash32(), bits.toArray(LZ4FrameOutputStream.FLG.Bits[]::new));
        }

        @Override
        public InputStream decompressing(InputStream in) throws IOException {
            return new LZ4FrameInputStream(in, LZ4Factory.safeInstance().safeDecompressor(),
                    XXHashFactory.safeInstance().hash32());
        }
    }

    /**
     * gzip members as {@code gzip} and {@code pigz} write them. With {@code threads} above 1
     * (pigz's {@code -p}), blocks are compressed in parallel as consecutive members, which
     * every gzip reader joins ({@link ParallelGzipOutputStream}).
     */
    record Gzip(int level, int threads) implements Codec {

        /** gzip's and pigz's default, -6. */
        public static final int DEFAULT_LEVEL = 6;

        @Override
        public String describe() {
            return (threads > 1 ? "pigz -p" + threads + " -" : "gzip -") + level;
        }

        @Override
        public String format() {
            return "gzip";
        }

        @Override
        public OutputStream compressing(OutputStream out) throws IOException {
            if (threads > 1) {
                return new ParallelGzipOutputStream(out, level, threads);
            }
            return new java.util.zip.GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(level);
                }
            };
        }

        @Override
        public InputStream decompressing(InputStream in) {
            return new GzipMembersInputStream(in);
        }
    }
}
