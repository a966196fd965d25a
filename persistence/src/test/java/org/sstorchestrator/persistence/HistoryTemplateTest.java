package org.sstorchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's first history comes from the build's template: migrated, private, and keyed to its directory. */
class HistoryTemplateTest {

    @TempDir
    Path tmp;

    @AfterEach
    void forget() {
        System.clearProperty(HistoryTemplate.PROPERTY);
    }

    @Test
    void aNewHistoryIsTheTemplateAtTheCurrentSchemaOpenOnlyWithItsDirectorysKey() throws Exception {
        Path template = tmp.resolve("lib/history-template.mv.db");
        HistoryTemplate.create(template);
        System.setProperty(HistoryTemplate.PROPERTY, template.toString());
        Path dir = tmp.resolve("h");

        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            assertEquals(HistoryDatabase.SCHEMA_VERSION, HistoryDatabase.appliedVersion(db.connection()));
            new H2RunJournal(db, System::currentTimeMillis).runStarted(new NewRun("r1", "joiner", "/d", null, 1, 1L,
                    "t", 1L));
        }

        assertFalse(Files.exists(dir.resolve("history-new.mv.db")), "no staging copy is left");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("history.mv.db"))));
        String url = "jdbc:h2:file:" + dir.resolve("history") + ";IFEXISTS=TRUE";
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "sst", HistoryTemplate.PASSWORD).close(),
                "the template's password no longer opens it");
        try (HistoryDatabase db = HistoryDatabase.openForReading(dir)) {
            assertEquals(1, new HistoryQueries(db).history(new RunFilter(null, null, null, 10)).size());
        }
    }

    @Test
    void anExistingHistoryIsNeverReplacedByTheTemplate() throws Exception {
        Path dir = tmp.resolve("h");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) { // migrated in place: no template named
            new H2RunJournal(db, System::currentTimeMillis).runStarted(new NewRun("old", "joiner", "/d", null, 1, 1L,
                    "t", 1L));
        }
        Path template = tmp.resolve("history-template.mv.db");
        HistoryTemplate.create(template);
        System.setProperty(HistoryTemplate.PROPERTY, template.toString());

        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            assertEquals("old", new HistoryQueries(db).history(new RunFilter(null, null, null, 10)).get(0).id());
        }
        assertTrue(Files.exists(template));
    }
}
