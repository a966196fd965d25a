package org.sstorchestrator.states.exec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/** Finds the programs we run on PATH, the way mysqld's PATH (basedir/bin first) presents them. */
public final class Tools {

    private final String path;

    public Tools(String path) {
        this.path = path == null ? "" : path;
    }

    /** The PATH searched, for messages. */
    public String path() {
        return path;
    }

    public Optional<Path> find(String name) {
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Like the stock script: a missing mariadb-backup or mbstream is exit 42, anything else 2. */
    public Path require(String name, ExitCode whenMissing) {
        return find(name).orElseThrow(() -> new SstException(whenMissing,
                name + " not found in PATH (" + path + "); install it or fix mysqld's PATH"));
    }
}
