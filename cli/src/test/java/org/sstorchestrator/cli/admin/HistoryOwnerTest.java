package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.HistoryException;

/**
 * Issue 18 item 1: as whom a root sst-admin acts on a history. Root stays root only on what
 * root alone controls; a history that another user owns, or in which or above which another
 * user owns anything, is acted on as that user; one that a group or everyone may write to,
 * or that two users control, is refused. Needs root to give files away (CI runs as root).
 */
class HistoryOwnerTest {

    private static final int NOBODY = 65534;
    private static final int DAEMON = 1;

    @TempDir
    Path tmp;

    @BeforeEach
    void asRoot() throws Exception {
        Assumptions.assumeTrue(HistoryOwner.effectiveUid() == 0, "giving files to other users needs root (CI runs as root)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    }

    private static Path give(Path p, int uid) throws Exception {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", uid == NOBODY ? 65534 : uid, LinkOption.NOFOLLOW_LINKS);
        return p;
    }

    private Path history() throws Exception {
        Path h = Files.createDirectory(tmp.resolve("history"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.writeString(h.resolve("history.mv.db"), "");
        Files.setPosixFilePermissions(h.resolve("history.mv.db"), PosixFilePermissions.fromString("rw-------"));
        return h;
    }

    @Test
    void rootStaysRootOnAHistoryOnlyRootControls() throws Exception {
        assertFalse(HistoryOwner.decide(history(), 0).switches());
    }

    @Test
    void anyoneButRootActsAsItself() throws Exception {
        Path h = give(history(), NOBODY);
        assertFalse(HistoryOwner.decide(h, 1000).switches());
    }

    @Test
    void aHistoryTheMysqlUserOwnsIsActedOnAsThatUserWithItsGroup() throws Exception {
        Path h = history();
        give(h.resolve("history.mv.db"), NOBODY);
        give(h, NOBODY);
        HistoryOwner.Decision d = HistoryOwner.decide(h, 0);
        assertEquals(NOBODY, d.uid());
        assertEquals(65534, d.gid());
        assertEquals("nobody", d.user());
    }

    /**
     * Root's history in or under what another user controls: that user could swap it for one
     * of its own (root will not act on it) and cannot read it (acting as that user is no use):
     * refused, naming both. So it is with a root mysqld's history in the package's mysql-owned
     * /var/lib/sst-orchestrator.
     */
    @Test
    void aRootHistoryThatAnotherUserControlsIsRefusedNamingBoth() throws Exception {
        Path h = history();
        give(h.resolve("history.mv.db"), NOBODY);
        HistoryException inside = assertThrows(HistoryException.class, () -> HistoryOwner.decide(h, 0));
        assertTrue(inside.getMessage().contains("is root's, but " + h.resolve("history.mv.db") + " in or above it is"
                + " nobody's"), inside.getMessage());

        Path parent = give(Files.createDirectory(tmp.resolve("parent")), NOBODY);
        Path under = Files.createDirectory(parent.resolve("history"));
        assertThrows(HistoryException.class, () -> HistoryOwner.decide(under, 0), "nobody could swap it");
        Path link = Files.createSymbolicLink(parent.resolve("link"), Files.createDirectory(tmp.resolve("roots")));
        assertThrows(HistoryException.class, () -> HistoryOwner.decide(link, 0), "nobody can point the link elsewhere");
    }

    @Test
    void aHistoryNotYetMadeInADirectoryAnotherUserOwnsIsThatUsers() throws Exception {
        Path parent = give(Files.createDirectory(tmp.resolve("parent")), NOBODY);
        assertEquals(NOBODY, HistoryOwner.decide(parent.resolve("not-yet"), 0).uid());
        Path theirs = give(Files.createDirectory(parent.resolve("history")), NOBODY);
        assertEquals(NOBODY, HistoryOwner.decide(theirs, 0).uid());
    }

    @Test
    void aHistoryTwoUsersControlIsRefused() throws Exception {
        Path h = give(history(), NOBODY);
        give(h.resolve("history.mv.db"), DAEMON);
        HistoryException e = assertThrows(HistoryException.class, () -> HistoryOwner.decide(h, 0));
        assertTrue(e.getMessage().contains("more than one user") && e.getMessage().contains("chown -R mysql:mysql"),
                e.getMessage());
    }

    @Test
    void aRootHistoryOthersMayWriteToIsRefusedNamingTheModeAndTheRemedy() throws Exception {
        Path h = history();
        Files.setAttribute(h, "unix:mode", 01777);
        HistoryException e = assertThrows(HistoryException.class, () -> HistoryOwner.decide(h, 0));
        assertTrue(e.getMessage().contains("mode 1777") && e.getMessage().contains("chmod go-w " + h), e.getMessage());
    }

    @Test
    void aFileOthersMayWriteToInARootHistoryIsRefused() throws Exception {
        Path h = history();
        Files.setPosixFilePermissions(h.resolve("history.mv.db"), PosixFilePermissions.fromString("rw-rw-rw-"));
        HistoryException e = assertThrows(HistoryException.class, () -> HistoryOwner.decide(h, 0));
        assertTrue(e.getMessage().contains(h.resolve("history.mv.db").toString()), e.getMessage());
    }

    @Test
    void aGroupWritableDirectoryAboveIsRefusedButAStickyOneLikeTmpIsNot() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.setAttribute(shared, "unix:gid", 65534);
        Path h = Files.createDirectory(shared.resolve("history"));
        assertThrows(HistoryException.class, () -> HistoryOwner.decide(h, 0));
        Files.setAttribute(shared, "unix:mode", 01777);
        assertFalse(HistoryOwner.decide(h, 0).switches());
    }

    /** mysqld's umask (0006) makes what a root SST creates writable by root's group: that is root alone. */
    @Test
    void writableByRootsGroupIsRootsAlone() throws Exception {
        Path h = history();
        Path logs = Files.createDirectory(h.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwx--x"));
        Files.setPosixFilePermissions(h.resolve("history.mv.db"), PosixFilePermissions.fromString("rw-rw----"));
        assertFalse(HistoryOwner.decide(h, 0).switches());
        Files.setAttribute(logs, "unix:gid", 65534);
        assertThrows(HistoryException.class, () -> HistoryOwner.decide(h, 0), "another group may write to logs/");
    }

    @Test
    void theSecondProcessRunsTheSameCommandAsTheUserWithoutPrivilegesToRegain() {
        List<String> argv = List.of("/usr/bin/java", "-XX:TieredStopAtLevel=1", "-cp", "/opt/lib/*", "Main", "cleanup", "--stale");
        List<String> c = Handover.command(argv, new HistoryOwner.Decision(NOBODY, 65534, "nobody"), Path.of("/h"), true);
        assertEquals(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--init-groups", "--inh-caps=-all",
                "--no-new-privs", "--", "/usr/bin/java", "-Dsst.admin.history-dir=/h", "-Dsst.admin.as-uid=65534",
                "-XX:TieredStopAtLevel=1", "-cp", "/opt/lib/*", "Main", "cleanup", "--stale"), c);
    }
}
