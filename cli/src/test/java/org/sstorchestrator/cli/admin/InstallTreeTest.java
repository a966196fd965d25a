package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18 item 5: doctor fails an install that anyone but root could change. Needs root (CI runs as root). */
class InstallTreeTest {

    @TempDir
    Path tmp;
    private Path lib;

    @BeforeEach
    void install() throws Exception {
        Assumptions.assumeTrue(HistoryOwner.effectiveUid() == 0, "files owned by another user need root");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        lib = Files.createDirectories(tmp.resolve("opt/lib/native/linux-amd64"));
        lib = lib.getParent().getParent();
        Files.writeString(lib.resolve("cli.jar"), "jar");
        Files.writeString(lib.resolve("sst.jsa"), "archive");
        Files.writeString(lib.resolve("native/linux-amd64/libzstd-jni.so"), "so");
        Files.createDirectories(lib.resolveSibling("bin"));
        Files.writeString(lib.resolveSibling("bin/sst-admin"), "#!/bin/bash\n");
    }

    @Test
    void anInstallRootAloneCanChangePasses() {
        DoctorCommand.Check c = InstallTree.check(Optional.of(lib));
        assertTrue(c.pass(), c.detail());
    }

    @Test
    void aFileAnotherUserOwnsFailsNamingIt() throws Exception {
        Path so = lib.resolve("native/linux-amd64/libzstd-jni.so");
        Files.setAttribute(so, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        DoctorCommand.Check c = InstallTree.check(Optional.of(lib));
        assertFalse(c.pass());
        assertTrue(c.detail().equals(so + " is owned by nobody, not root") && c.remedy().contains("chmod -R go-w"), c.detail());
    }

    @Test
    void aGroupWritableArchiveOrLauncherDirectoryFails() throws Exception {
        Files.setPosixFilePermissions(lib.resolve("sst.jsa"), PosixFilePermissions.fromString("rw-rw-r--"));
        assertFalse(InstallTree.check(Optional.of(lib)).pass());
        Files.setPosixFilePermissions(lib.resolve("sst.jsa"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(lib.resolveSibling("bin"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertFalse(InstallTree.check(Optional.of(lib)).pass());
    }

    @Test
    void aDirectoryAboveAnotherUserOwnsFails() throws Exception {
        Files.setAttribute(lib.getParent(), "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        DoctorCommand.Check c = InstallTree.check(Optional.of(lib));
        assertFalse(c.pass());
        assertTrue(c.detail().startsWith(lib.getParent() + " is owned by nobody"), c.detail());
    }
}
