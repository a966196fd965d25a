package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.layout.FileTree;

/**
 * Extracts a backup stream into a directory in-process, replacing {@code mbstream -x}: one
 * process and one copy fewer on the joiner's data path, and every failure an error of ours
 * (mbstream exits 0 after "failed to create file" and simply stops). Fed through
 * {@link #stream()} by the copy loop; {@link MbstreamParser} frames the chunks and checks
 * every path (rename and delete included, which mbstream does not).
 *
 * <p>What it does with each chunk follows {@code mbstream -x} (10.11), stricter where mbstream is
 * unsafe or buggy:
 * <ul>
 *   <li>a file is created new ({@code CREATE_NEW}: never over an existing file, never through a
 *       link), or truncated when the stream sends it again flagged for rewriting; a parent
 *       directory is created inside the target, never through a link;</li>
 *   <li>payload goes at the offset the file is at: an out-of-order chunk fails the stream; a seek
 *       moves that offset (the Aria log's header rewrite);</li>
 *   <li>an end alone creates an empty file; a rename replaces its target (rename(2)) and a
 *       missing source is nothing to do, as in mbstream; a delete removes a file, a directory
 *       tree, or (trailing {@code *}) the entries with that prefix, which mbstream 10.11
 *       intends but, through an off-by-one, never does; neither may touch an open file;</li>
 *   <li>page-compressed InnoDB tablespaces get the holes mbstream punches (each page is
 *       written up to its last non-zero byte), so they take no more disk than with mbstream.</li>
 * </ul>
 */
public final class MbstreamExtractor implements MbstreamParser.Handler, AutoCloseable {

    private final Path target;
    private final MbstreamParser parser;
    private final Map<String, Open> open = new HashMap<>();
    private final Set<String> done = new HashSet<>();
    private long files;

    /** One file being written: its channel, where the next payload goes, and its hole-punching state. */
    private static final class Open {
        final RandomAccessFile file;
        final FileChannel channel;
        long position;
        long end;
        /** 0 until the first write decided; -1 not a page-compressed tablespace; else its page size. */
        int pageSize;
        final boolean ibd;

        Open(RandomAccessFile file, boolean ibd) {
            this.file = file;
            this.channel = file.getChannel();
            this.ibd = ibd;
        }
    }

    public MbstreamExtractor(Path target) {
        this.target = target.toAbsolutePath().normalize();
        this.parser = new MbstreamParser(this);
    }

    /** Where the copy loop writes the stream. */
    public OutputStream stream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                parser.feed(b, off, len);
            }
        };
    }

    /** The stream ended: it must end at a chunk boundary; files it did not end are closed as they are. */
    public void finish() throws IOException {
        parser.finish();
        for (String path : Set.copyOf(open.keySet())) {
            close(path);
        }
    }

    public long files() {
        return files;
    }

    @Override
    public void payload(String path, int flags, long position, byte[] b, int off, int len) throws IOException {
        Open f = openFor(path, flags);
        if (position != f.position) {
            throw MbstreamParser.bad("an out-of-order chunk of " + path + ": offset " + position + " where "
                    + f.position + " was expected");
        }
        write(f, position, b, off, len);
        f.position += len;
        f.end = Math.max(f.end, f.position);
    }

    /**
     * mariadb-backup seeks only back into what it wrote (to rewrite an Aria log's header), so a
     * seek past a file's end is refused: followed, one seek to 2^40 made a 1 TiB sparse file,
     * and payload after it would have written there (issue 18).
     */
    @Override
    public void seek(String path, long offset) throws IOException {
        Open f = openFor(path, 0);
        if (offset < 0 || offset > f.end) {
            throw MbstreamParser.bad("a seek in " + path + " to offset " + Long.toUnsignedString(offset)
                    + ", past the " + f.end + " bytes written (mariadb-backup seeks only back, to rewrite a header)");
        }
        f.position = offset;
    }

    @Override
    public void end(String path) throws IOException {
        if (open.containsKey(path)) {
            close(path);
            return;
        }
        // an end alone: an empty file, created new; or an empty file sent again, emptied
        Path file = resolve(path);
        if (done.contains(path)) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(0);
            }
        } else {
            createParent(file);
            Files.newByteChannel(file, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS).close();
            done.add(path);
            files++;
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        refuseOpen("rename", from);
        refuseOpen("rename", to);
        try {
            Files.move(resolve(from), resolve(to), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            done.remove(from);
            done.add(to);
        } catch (NoSuchFileException nothingToRename) {
            // a table renamed during the backup after its copy was taken: mbstream ignores it too
        }
    }

    @Override
    public void delete(String path) throws IOException {
        if (path.endsWith("*")) {
            String prefix = path.substring(0, path.length() - 1);
            Path dir = resolve(prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : ".");
            String name = prefix.substring(prefix.lastIndexOf('/') + 1);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(name))) {
                for (Path p : entries) {
                    String rel = target.relativize(p).toString();
                    refuseOpenUnder("delete", rel);
                    FileTree.delete(p);
                    done.removeIf(d -> d.equals(rel) || d.startsWith(rel + "/"));
                }
            }
            return;
        }
        refuseOpenUnder("delete", path);
        FileTree.delete(resolve(path));
        done.removeIf(d -> d.equals(path) || d.startsWith(path + "/"));
    }

    @Override
    public void close() {
        for (Open f : open.values()) {
            try {
                f.file.close();
            } catch (IOException ignored) {
                // the run is failing already; the file is deleted with .sst or kept for diagnosis
            }
        }
        open.clear();
    }

    private Open openFor(String path, int flags) throws IOException {
        Open f = open.get(path);
        if (f != null) {
            return f;
        }
        Path file = resolve(path);
        boolean again = done.contains(path);
        if (again && (flags & MbstreamParser.FLAG_REWRITE) == 0) {
            throw MbstreamParser.bad(path + " is sent a second time without the flag that rewrites it");
        }
        createParent(file);
        if (!again) {
            try {
                // O_EXCL: never over an existing file, never through a link planted in its place
                Files.newByteChannel(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS).close();
            } catch (FileAlreadyExistsException e) {
                throw MbstreamParser.bad(path + " already exists in " + target + ": the stream carries it twice");
            }
            files++;
        } else if (Files.isSymbolicLink(file)) {
            throw MbstreamParser.bad(path + " is a link in " + target);
        }
        RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
        if (again) {
            raf.setLength(0);
        }
        f = new Open(raf, path.endsWith(".ibd"));
        open.put(path, f);
        done.add(path);
        return f;
    }

    private void close(String path) throws IOException {
        Open f = open.remove(path);
        try {
            if (f.pageSize > 0 && f.file.length() < f.end) {
                f.file.setLength(f.end); // a tablespace that ends in a hole still has its whole length
            }
        } finally {
            f.file.close();
        }
    }

    /** Positioned writes; for a page-compressed tablespace each page only up to its last non-zero byte. */
    private static void write(Open f, long position, byte[] b, int off, int len) throws IOException {
        if (f.pageSize == 0) {
            f.pageSize = f.ibd && position == 0 ? PageCompression.pageSizeOf(b, off, len) : -1;
        }
        if (f.pageSize < 0) {
            writeFully(f.channel, ByteBuffer.wrap(b, off, len), position);
            return;
        }
        int page = f.pageSize;
        for (int done = 0; done < len; ) {
            long at = position + done;
            int inPage = (int) (at % page);
            int n = Math.min(len - done, page - inPage);
            int last = lastNonZero(b, off + done, n);
            if (last >= 0) {
                writeFully(f.channel, ByteBuffer.wrap(b, off + done, last + 1), at);
            }
            done += n;
        }
    }

    private static int lastNonZero(byte[] b, int off, int len) {
        for (int i = len - 1; i >= 0; i--) {
            if (b[off + i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
    }

    private void refuseOpen(String what, String path) {
        if (open.containsKey(path)) {
            throw MbstreamParser.bad("the stream asks to " + what + " " + path + " while it is still being written");
        }
    }

    /** As {@link #refuseOpen}, for {@code path} and everything under it (a directory being deleted). */
    private void refuseOpenUnder(String what, String path) {
        for (String o : open.keySet()) {
            if (o.equals(path) || o.startsWith(path + "/")) {
                throw MbstreamParser.bad("the stream asks to " + what + " " + path + " while " + o
                        + " in it is still being written");
            }
        }
    }

    /** The file inside the target; the parser already refused any path that could leave it. */
    private Path resolve(String path) {
        Path p = target.resolve(path).normalize();
        if (!p.startsWith(target)) {
            throw new SstException(ExitCode.EPIPE, "the stream holds a path outside the target: " + path);
        }
        return p;
    }

    /** Creates the directories between the target and {@code file}, never through a link. */
    private void createParent(Path file) throws IOException {
        Path parent = file.getParent();
        if (parent.equals(target) || Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path at = target;
        for (Path part : target.relativize(parent)) {
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) {
                throw MbstreamParser.bad(target.relativize(at) + " is a link in " + target);
            }
            if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(at);
            }
        }
    }
}
