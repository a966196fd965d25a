package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sstorchestrator.persistence.HistoryException;

/**
 * Who sst-admin must be to act on a history (issue 18).
 *
 * <p>A history is written by the SST, that is by the mysql user, and operators run sst-admin
 * as root. Whoever can change a history can make whoever opens it run code (H2 replays stored
 * DDL at open: a planted {@code CREATE TRIGGER ... AS $$java$$} is compiled and run), name
 * paths for it to delete and programs for it to run. So a root sst-admin never touches a
 * history that another user controls: it becomes that user first ({@link Handover}) and can
 * then do only what that user could do anyway. A user controls a history when it owns the
 * directory, anything in it, or a directory above it (it could swap what lies below between
 * our look and our use). A directory that a group or everyone may write to (without the
 * sticky bit) is controlled by too many to name: refused.
 */
final class HistoryOwner {

    /** What to do: act as we are ({@code uid} < 0), or become {@code uid}/{@code gid} first. */
    record Decision(int uid, int gid, String user) {

        static final Decision AS_SELF = new Decision(-1, -1, null);

        boolean switches() {
            return uid >= 0;
        }
    }

    /** More entries than this under a history is not one of ours: refused rather than walked for ever. */
    private static final int MAX_ENTRIES = 100_000;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHER_WRITE = 0002;
    private static final int STICKY = 01000;

    private HistoryOwner() {
    }

    /** This process's effective uid, from the kernel's own record. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // below: treated as unprivileged, which never widens what we do
        }
        return Integer.MAX_VALUE;
    }

    /**
     * The decision for a process with effective uid {@code euid} about to act on {@code dir}:
     * only root ever switches; root stays root only when nobody but root controls the history.
     */
    static Decision decide(Path dir, int euid) {
        if (euid != 0) {
            return Decision.AS_SELF;
        }
        Map<Integer, Path> controllers = new TreeMap<>();
        Path lexical = dir.toAbsolutePath().normalize();
        Path existing = lexical;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Decision.AS_SELF;
        }
        Path shared;
        Path real;
        try {
            // the path as given, each component as it is (a link where there is one) ...
            for (Path p = existing; p != null; p = p.getParent()) {
                above(p, controllers, p.equals(lexical));
            }
            // ... and where it leads
            real = existing.toRealPath();
            for (Path p = real; p != null; p = p.getParent()) {
                above(p, controllers, p.equals(real) && existing.equals(lexical));
            }
            shared = existing.equals(lexical) ? inside(real, controllers) : null;
        } catch (IOException e) {
            throw new HistoryException("cannot check who owns the history " + dir + ": " + e.getMessage()
                    + "; refusing to act on it as root");
        }
        if (controllers.isEmpty()) {
            if (shared != null) {
                throw new HistoryException("in the history " + dir + ", " + shared + " may be written by its group or by"
                        + " everyone: whoever can change a history can make root run code through it; refusing to act on"
                        + " it as root. Remedy: chmod -R go-w " + dir);
            }
            return Decision.AS_SELF;
        }
        if (controllers.size() > 1) {
            List<String> who = new ArrayList<>();
            controllers.forEach((uid, p) -> who.add(name(p) + " (" + p + ")"));
            throw new HistoryException("the history " + dir + " is controlled by more than one user: " + String.join(", ", who)
                    + "; refusing to act on it as root. Give it and what is in it to the mysql user alone"
                    + " (chown -R mysql:mysql " + dir + ")");
        }
        Map.Entry<Integer, Path> only = controllers.entrySet().iterator().next();
        if (existing.equals(lexical) && ownerOf(real) != only.getKey()) {
            // e.g. a root mysqld's history in the package's mysql-owned /var/lib/sst-orchestrator
            throw new HistoryException("the history " + dir + " is " + name(real) + "'s, but " + only.getValue()
                    + " in or above it is " + name(only.getValue()) + "'s, who could put a history of its own in its"
                    + " place: root will not act on it, and " + name(only.getValue()) + " cannot read it. Give it all to"
                    + " the user mysqld runs as (chown -R mysql:mysql " + dir + ")");
        }
        try {
            int gid = (Integer) Files.getAttribute(only.getValue(), "unix:gid", LinkOption.NOFOLLOW_LINKS);
            return new Decision(only.getKey(), gid, name(only.getValue()));
        } catch (IOException e) {
            throw new HistoryException("cannot read the group of " + only.getValue() + ": " + e.getMessage());
        }
    }

    /**
     * Notes who controls {@code p}, the history or a directory above it, and refuses one that
     * its group or everyone may write to: they could put another history in its place (a
     * sticky directory such as /tmp lets nobody move what is not theirs; the history itself
     * may not be shared even so).
     */
    private static void above(Path p, Map<Integer, Path> controllers, boolean isHistory) throws IOException {
        int mode = owner(p, controllers);
        boolean sticky = (mode & STICKY) != 0;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && sharedWrite(p, mode) && (isHistory || !sticky)) {
            throw new HistoryException((isHistory ? "the history directory " : "the directory above the history ")
                    + p + " may be written by its group or by everyone (mode " + String.format("%04o", mode & 07777)
                    + "): whoever can change a history can make root run code through it; refusing to act on it."
                    + " Remedy: chmod go-w " + p + (isHistory ? ", and chown -R mysql:mysql " + p : ""));
        }
    }

    /**
     * Everything in the history, without following links: its owners control it too. Returns
     * an entry others may write to, if any (refused when root would otherwise act as itself).
     */
    private static Path inside(Path history, Map<Integer, Path> controllers) throws IOException {
        int[] seen = {0};
        Path[] shared = {null};
        Files.walkFileTree(history, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                return visitFile(d, a);
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                if (++seen[0] > MAX_ENTRIES) {
                    throw new IOException("more than " + MAX_ENTRIES + " entries");
                }
                try {
                    int mode = owner(f, controllers);
                    if (shared[0] == null && !a.isSymbolicLink() && sharedWrite(f, mode)) {
                        shared[0] = f;
                    }
                } catch (NoSuchFileException gone) {
                    // a reader's copy or a socket that went meanwhile
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return shared[0];
    }

    /** Records {@code p}'s owner when it is not root; returns its mode. */
    private static int owner(Path p, Map<Integer, Path> controllers) throws IOException {
        int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (uid != 0) {
            controllers.putIfAbsent(uid, p);
        }
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Whether others than the owner may write to {@code p}: everyone, or a group other than
     * root's (mysqld's default umask, 0006, makes what an SST creates group-writable: for
     * root's group, that is root alone).
     */
    private static boolean sharedWrite(Path p, int mode) throws IOException {
        if ((mode & OTHER_WRITE) != 0) {
            return true;
        }
        return (mode & GROUP_WRITE) != 0 && (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS) != 0;
    }

    private static int ownerOf(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new HistoryException("cannot read the owner of " + p + ": " + e.getMessage());
        }
    }

    private static String name(Path p) {
        try {
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException e) {
            return Optional.ofNullable(e.getMessage()).orElse("?");
        }
    }
}
