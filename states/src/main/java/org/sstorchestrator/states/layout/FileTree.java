package org.sstorchestrator.states.layout;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Deleting and measuring directory trees, without following symbolic links out of them.
 *
 * <p>A delete works relative to directories it holds open ({@link SecureDirectoryStream}:
 * {@code openat}, {@code unlinkat}), never by path: a tree we delete may belong to another
 * user (sst-admin cleanup removes what the mysql user's run left), and deleting by path after
 * listing let that user swap a subdirectory for a link between the two and have the deletes
 * land outside the tree (issue 18). Held open, a directory is the one that was listed; a
 * subdirectory is opened without following a link, and a link found where a directory was is
 * removed itself, never followed.
 */
public final class FileTree {

    private FileTree() {
    }

    /** Deletes {@code root} and everything under it; a link is removed, never followed. */
    public static void delete(Path root) throws IOException {
        delete(root, listed -> { });
    }

    /** As {@link #delete(Path)}; {@code afterListing} runs after each directory is listed (tests race it). */
    static void delete(Path root, Consumer<Path> afterListing) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.delete(root);
            } catch (NoSuchFileException gone) {
                // gone since we looked (a file another process renames away): what rm -rf says nothing of
            }
            return;
        }
        Path parent = root.toAbsolutePath().getParent();
        try (SecureDirectoryStream<Path> dir = secure(Files.newDirectoryStream(parent), parent)) {
            deleteEntry(dir, root.getFileName(), root, afterListing);
        }
    }

    private static void deleteEntry(SecureDirectoryStream<Path> parent, Path name, Path where, Consumer<Path> afterListing)
            throws IOException {
        SecureDirectoryStream<Path> opened;
        try {
            opened = isDirectory(parent, name) ? parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS) : null;
        } catch (NoSuchFileException gone) {
            return;
        } catch (FileSystemException swapped) {
            // a directory when we looked, something else (a link) when we opened it: not followed
            if (isDirectory(parent, name)) {
                throw swapped;
            }
            opened = null;
        }
        if (opened == null) {
            try {
                parent.deleteFile(name);
            } catch (NoSuchFileException gone) {
                // already gone
            }
            return;
        }
        try (SecureDirectoryStream<Path> dir = opened) {
            List<Path> names = new ArrayList<>();
            for (Path entry : dir) {
                names.add(entry.getFileName());
            }
            afterListing.accept(where);
            for (Path n : names) {
                deleteEntry(dir, n, where.resolve(n), afterListing);
            }
        }
        parent.deleteDirectory(name);
    }

    private static boolean isDirectory(SecureDirectoryStream<Path> parent, Path name) throws IOException {
        return parent.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes().isDirectory();
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> s, Path dir) throws IOException {
        if (s instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        s.close();
        throw new IOException("cannot delete under " + dir + " safely: this platform has no openat/unlinkat");
    }

    /** As {@link #delete}, for temporary directories whose leftovers sst-admin cleanup lists. */
    public static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (IOException ignored) {
            // left behind; recorded with the run, so sst-admin cleanup finds it
        }
    }

    /** The bytes of the regular files under {@code root}. */
    public static long size(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
