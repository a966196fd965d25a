package org.sstorchestrator.states.config;

import java.util.Optional;

/**
 * Where the server keeps its files, as my.cnf's server groups say it: what the stock joiner
 * falls back to when mysqld passed neither an argument nor an environment variable for it
 * ({@code create_dirs} and {@code get_binlog} in the common script). Read on both roles; the
 * joiner alone acts on it, as stock. Values are as my.cnf has them (trimmed, not resolved).
 *
 * @param logBinPresent whether {@code log-bin} appears at all, bare or with a value (stock's
 *                      {@code in_config}: a bare {@code log_bin} turns the binary log on)
 */
public record ServerFiles(Optional<String> dataHomeDir, Optional<String> logGroupHomeDir, Optional<String> undoDirectory,
                          Optional<String> ariaLogDirPath, Optional<String> logBin, boolean logBinPresent,
                          Optional<String> logBinIndex, Optional<String> logBasename) {

    public static final ServerFiles NONE = new ServerFiles(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty());

    public static ServerFiles from(OptionFiles cnf) {
        return new ServerFiles(
                Opt.INNODB_DATA_HOME_DIR.value(cnf),
                Opt.INNODB_LOG_GROUP_HOME_DIR.value(cnf),
                Opt.INNODB_UNDO_DIRECTORY.value(cnf),
                Opt.ARIA_LOG_DIR_PATH.value(cnf),
                Opt.LOG_BIN.value(cnf),
                Opt.LOG_BIN.present(cnf),
                Opt.LOG_BIN_INDEX.value(cnf),
                Opt.LOG_BASENAME.value(cnf));
    }
}
