package org.sstorchestrator.states.joiner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Names and small file operations the joiner's stages share. */
final class JoinerFiles {

    static final String IN_PROGRESS = "sst_in_progress";
    static final String RECEIVE_LOG = "mariabackup.receive.log";
    static final List<String> CHECKPOINTS = List.of("xtrabackup_checkpoints", "mariadb_backup_checkpoints");
    static final List<String> BINLOG_INFO = List.of("xtrabackup_binlog_info", "mariadb_backup_binlog_info");

    private JoinerFiles() {
    }

    static Optional<Path> firstExisting(Path dir, List<String> names) {
        return names.stream().map(dir::resolve).filter(Files::exists).findFirst();
    }
}
