package org.sstorchestrator.states.wire;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * Sits in front of {@code mbstream -x} (the extraction fallback) and parses every chunk as the
 * bytes go through ({@link MbstreamParser}), refusing the stream at the first path that
 * escapes the target (CVE-2026-44171; mbstream itself checks no rename or delete path) or the
 * first malformed chunk, before mbstream sees it. Payload bytes are passed on in bulk and
 * never copied.
 *
 * <p>It also keeps what the stream says the target must hold at the end: mbstream exits 0
 * after "failed to create file" and simply stops, so {@link #verify} checks that every file
 * the stream ended is there with at least the bytes written to it.
 */
public final class MbstreamGuard extends FilterOutputStream {

    private final MbstreamParser parser;
    /** path → bytes the stream wrote up to, for files the stream ended and did not delete. */
    private final Map<String, Long> expected = new HashMap<>();
    private final Map<String, Long> open = new HashMap<>();

    public MbstreamGuard(OutputStream out) {
        super(out);
        parser = new MbstreamParser(new Tracker());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        parser.feed(b, off, len);
        out.write(b, off, len);
    }

    /** Throws unless the stream ended exactly at a chunk boundary. */
    public void finish() {
        parser.finish();
    }

    public long files() {
        return parser.filesEnded();
    }

    /** Every file the stream completed is in {@code target} with at least the bytes it was sent. */
    public void verify(Path target) throws IOException {
        for (Map.Entry<String, Long> f : expected.entrySet()) {
            Path p = target.resolve(f.getKey());
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new SstException(ExitCode.EPIPE, "mbstream -x left no file " + f.getKey() + " in " + target
                        + " although the stream carried it whole (mbstream exits 0 after 'failed to create file')");
            }
            long size = Files.size(p);
            if (size < f.getValue()) {
                throw new SstException(ExitCode.EPIPE, "mbstream -x wrote " + size + " of the " + f.getValue()
                        + " bytes the stream carried for " + f.getKey());
            }
        }
    }

    private final class Tracker implements MbstreamParser.Handler {
        @Override
        public void payload(String path, int flags, long position, byte[] b, int off, int len) {
        }

        @Override
        public void payloadEnd(String path, int flags, long offset, long length) {
            if (!open.containsKey(path) && (flags & MbstreamParser.FLAG_REWRITE) != 0) {
                expected.remove(path); // sent again to be rewritten from scratch
            }
            open.merge(path, offset + length, Math::max);
        }

        @Override
        public void seek(String path, long offset) {
            open.putIfAbsent(path, 0L);
        }

        @Override
        public void end(String path) {
            Long written = open.remove(path);
            expected.merge(path, written == null ? 0L : written, Math::max);
        }

        @Override
        public void rename(String from, String to) {
            Long size = expected.remove(from);
            if (size != null) {
                expected.put(to, size);
            }
        }

        @Override
        public void delete(String path) {
            String prefix = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
            expected.keySet().removeIf(k -> k.equals(prefix) || k.startsWith(prefix + "/")
                    || path.endsWith("*") && k.startsWith(prefix));
        }
    }
}
