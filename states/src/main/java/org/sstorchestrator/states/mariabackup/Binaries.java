package org.sstorchestrator.states.mariabackup;

import java.nio.file.Path;
import java.util.Optional;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.stock.StockLine;

/** The tools preflight found on mysqld's PATH: mariadb-backup, and on the joiner mbstream (the extraction fallback). */
public record Binaries(Path mariadbBackup, Optional<Path> mbstream) {

    public Path requireMbstream() {
        return mbstream.orElseThrow(() -> StockLine.STREAMING_WITHOUT_TOOL.failure(ExitCode.TOOL_MISSING,
                "; install the mariadb-backup package on this node", "mbstream", "mbstream"));
    }

    /** mariadb-backup on mysqld's PATH, else exit 42 with the stock script's words. */
    public static Path mariadbBackup(Tools tools) {
        return tools.find("mariadb-backup").orElseThrow(() -> StockLine.MARIADB_BACKUP_MISSING.failure(
                ExitCode.TOOL_MISSING, " (PATH: " + tools.path() + "); install the mariadb-backup package on this node"));
    }

    /** mbstream on mysqld's PATH, else exit 42 with the stock script's words. */
    public static Path mbstream(Tools tools) {
        return new Binaries(null, tools.find("mbstream")).requireMbstream();
    }
}
