package org.sstorchestrator.persistence;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Files and directories only their owner may read: the database, its key and its port, the
 * kept logs. Never left to the umask: mysqld's (0006 by default) would make them group-writable,
 * and a root sst-admin refuses a history others may change.
 */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /** {@code dir} and any missing parent, created 0700 (a parent that exists is left as it is). */
    public static void createDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** A new file, created 0600 before any byte is in it, opened for writing. */
    public static java.io.OutputStream create(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.newOutputStream(file, StandardOpenOption.WRITE);
    }

    /** Writes {@code text} to a file created 0600 (before any byte is written), replacing it atomically. */
    static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, text, StandardOpenOption.WRITE);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static void restrict(Path file) throws IOException {
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /**
     * Deletes {@code dir}, a directory of our own files with no subdirectory (a reader's copy,
     * the socket's private directory), relative to its parent held open: a link found in its
     * place, or in it, is removed and never followed (issue 18). A subdirectory in it is not
     * ours: the delete fails rather than descend.
     */
    static void deleteFlat(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Path name = dir.getFileName();
        try (DirectoryStream<Path> ps = Files.newDirectoryStream(parent)) {
            if (!(ps instanceof SecureDirectoryStream<Path> p)) {
                throw new IOException("cannot delete " + dir + " safely: this platform has no openat/unlinkat");
            }
            boolean directory;
            try {
                directory = p.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes().isDirectory();
            } catch (NoSuchFileException gone) {
                return;
            }
            if (!directory) {
                p.deleteFile(name);
                return;
            }
            try (SecureDirectoryStream<Path> d = p.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                List<Path> names = new ArrayList<>();
                d.forEach(e -> names.add(e.getFileName()));
                for (Path n : names) {
                    d.deleteFile(n);
                }
            }
            p.deleteDirectory(name);
        }
    }
}
