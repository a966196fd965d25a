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

    /** The highest V<n>__ migration in migrations/src/main/resources/db/{@code set}. */
    private static int highestMigration(String set) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("..", "migrations", "src", "main", "resources", "db", set))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElse(0);
        }
    }

    @Test
    void theConstantThatLetsStartUpSkipFlywayIsTheHighestMigration() throws Exception {
        assertEquals(highestMigration("migration"), HistoryDatabase.SCHEMA_VERSION);
    }

    @Test
    void theClusterTablesVersionIsTheHighestOfItsOwnMigrations() throws Exception {
        assertEquals(highestMigration("cluster"), ClusterStore.SCHEMA_VERSION);
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

    @Test
    void sstAdminRefusesAHistoryFromANewerSchemaAndChangesNothing() throws Exception {
        Path dir = tmp.resolve("newer");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            db.connection().createStatement().execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\","
                    + " \"version\", \"description\", \"type\", \"script\", \"installed_by\", \"execution_time\","
                    + " \"success\") VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 'test', 0, TRUE)");
        }
        HistoryException e = org.junit.jupiter.api.Assertions.assertThrows(HistoryException.class,
                () -> HistoryDatabase.openForReading(dir));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(HistoryException.class, () -> HistoryDatabase.openForUpdate(dir));
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            assertEquals(99, HistoryDatabase.appliedVersion(db.connection()), "nothing was changed");
        }
    }
}
