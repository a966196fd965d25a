package org.sstorchestrator.states;

import java.nio.file.Path;
import java.util.Optional;

/** The tools preflight found on mysqld's PATH: mariadb-backup, and on the joiner mbstream (the extraction fallback). */
public record Binaries(Path mariadbBackup, Optional<Path> mbstream) {

    public Path requireMbstream() {
        return mbstream.orElseThrow(() -> new SstException(ExitCode.TOOL_MISSING,
                "mbstream not found in PATH; install the mariadb-backup package on this node"));
    }
}
