package org.sstorchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaVersionTest {

    @TempDir
    Path tmp;

    @Test
    void theConstantThatLetsStartUpSkipFlywayIsTheHighestMigration() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("..", "migrations", "src", "main", "resources", "db", "migration"))) {
            int highest = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElse(0);
            assertEquals(highest, HistoryDatabase.SCHEMA_VERSION);
        }
    }

    @Test
    void aFreshDatabaseIsMigratedToTheCurrentVersion() {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(tmp.resolve("h"))) {
            assertEquals(HistoryDatabase.SCHEMA_VERSION, HistoryDatabase.appliedVersion(db.connection()));
        }
        try (HistoryDatabase db = HistoryDatabase.openForWriting(tmp.resolve("h"))) {
            assertEquals(HistoryDatabase.SCHEMA_VERSION, HistoryDatabase.appliedVersion(db.connection()));
        }
    }
}
