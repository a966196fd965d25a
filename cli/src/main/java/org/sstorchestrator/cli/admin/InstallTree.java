package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * doctor's look at where this program is installed (issue 18). mysqld runs the SST from it as
 * the mysql user, and operators run sst-admin from it as root: whoever can change a jar, a
 * native library, the class archive or a launcher there runs code as both. So all of it
 * ({@code lib/} with {@code native/} and {@code sst.jsa}, and {@code bin/} beside it), and every
 * directory above it, must be root's and writable by no one else (a sticky directory such as
 * /tmp lets no one move what is root's).
 */
final class InstallTree {

    private InstallTree() {
    }

    /** The directory our jar was loaded from: the install's {@code lib/}. */
    static Optional<Path> lib() {
        try {
            Path jar = Path.of(InstallTree.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(jar) ? Optional.of(jar.toAbsolutePath().getParent()) : Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static DoctorCommand.Check check() {
        return check(lib());
    }

    static DoctorCommand.Check check(Optional<Path> lib) {
        String name = "install tree";
        if (lib.isEmpty()) { // classes from a build's output directory: a developer's run, no install to judge
            return new DoctorCommand.Check(name, true, "not run from an install (classes from a build directory):"
                    + " nothing to check", "");
        }
        List<Path> tree = new ArrayList<>();
        Path bin = lib.get().resolveSibling("bin");
        try {
            for (Path top : List.of(lib.get(), bin)) {
                if (Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> all = Files.walk(top)) {
                        all.forEach(tree::add);
                    }
                }
            }
            for (Path p = lib.get().getParent(); p != null; p = p.getParent()) {
                tree.add(p);
            }
            for (Path p : tree) {
                String wrong = wrong(p, p.startsWith(lib.get()) || p.startsWith(bin));
                if (wrong != null) {
                    return new DoctorCommand.Check(name, false, p + " " + wrong, "chown -R root:root and chmod -R go-w "
                            + lib.get().getParent() + ": the SST runs what is there as the mysql user, sst-admin as root");
                }
            }
        } catch (IOException e) {
            return new DoctorCommand.Check(name, false, e.getMessage(), "check the install directory is readable");
        }
        return new DoctorCommand.Check(name, true, lib.get() + (Files.isDirectory(bin) ? " and " + bin : "")
                + " are root's, writable by no one else", "");
    }

    /** Why {@code p} lets someone but root change the install, or null. */
    private static String wrong(Path p, boolean inside) throws IOException {
        int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        boolean link = Files.isSymbolicLink(p);
        if (uid != 0) {
            return "is owned by " + Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName() + ", not root";
        }
        boolean sticky = (mode & 01000) != 0;
        if (!link && (mode & 0022) != 0 && (inside || !sticky)) {
            return "may be written by its group or by everyone (mode " + String.format("%04o", mode & 07777) + ")";
        }
        return null;
    }
}
