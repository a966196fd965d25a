package org.sstorchestrator.states.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18 item 4: a tree's delete never follows a link, not even one planted while it runs. */
class FileTreeTest {

    @TempDir
    Path tmp;

    private Path tree() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(root.resolve("f"), "x");
        Files.writeString(tmp.resolve("tree/a/g"), "y");
        return tmp.resolve("tree");
    }

    private Path outside() throws IOException {
        Path o = Files.createDirectories(tmp.resolve("outside/b"));
        Files.writeString(tmp.resolve("outside/g"), "keep me");
        Files.writeString(o.resolve("f"), "keep me too");
        return tmp.resolve("outside");
    }

    @Test
    void deletesATreeAndOnlyTheLinksInItNotWhatTheyPointAt() throws IOException {
        Path root = tree();
        Path outside = outside();
        Files.createSymbolicLink(root.resolve("a/to-outside"), outside);
        FileTree.delete(root);
        assertFalse(Files.exists(root, LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me", Files.readString(outside.resolve("g")));
        assertEquals("keep me too", Files.readString(outside.resolve("b/f")));
    }

    @Test
    void aLinkIsRemovedItselfWhenItIsTheRoot() throws IOException {
        Path outside = outside();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), outside);
        FileTree.delete(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside.resolve("b/f")));
    }

    /**
     * The owner of a tree swaps a subdirectory for a link to another tree just after the
     * delete listed it: the deletes stay in the tree, and the link is removed, not followed.
     */
    @Test
    void aSubdirectorySwappedForALinkMidWalkDoesNotTakeTheDeletesOutside() throws IOException {
        Path root = tree();
        Path outside = outside();
        FileTree.delete(root, listed -> {
            if (listed.equals(root)) {
                try {
                    Path a = root.resolve("a");
                    Files.move(a, tmp.resolve("a-moved-away"));
                    Files.createSymbolicLink(a, outside);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        assertFalse(Files.exists(root, LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me", Files.readString(outside.resolve("g")));
        assertEquals("keep me too", Files.readString(outside.resolve("b/f")));
    }
}
