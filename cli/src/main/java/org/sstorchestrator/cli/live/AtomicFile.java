package org.sstorchestrator.cli.live;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file its readers see whole or not at all: written to a temporary file in the same directory
 * (a rename never crosses filesystems), then renamed over the old one. node_exporter's textfile
 * collector reads only {@code *.prom}, so the temporary name ends otherwise; a watchdog reading
 * the status between two writes gets the old one or the new one. Readable by all whatever the
 * umask (mysqld's makes files 0660): node_exporter runs as its own user, and neither file holds
 * a secret; the directory decides who reaches them.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /**
     * The file a write goes through first: hidden, per process, ending otherwise than the target.
     * The joiner's wipe recognises the live status's by this name ({@code SstFiles.isLiveStatus}).
     */
    static String temporaryName(String target, long pid) {
        return "." + target + "." + pid + ".tmp";
    }

    /** {@code durable}: the content is forced to disk before the rename, and the rename after it. */
    public static void write(Path target, byte[] content, boolean durable) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(temporaryName(target.getFileName().toString(), ProcessHandle.current().pid()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (durable) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // a filesystem that cannot sync a directory still has the file, renamed
            }
        }
    }
}
