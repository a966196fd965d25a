package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
