package org.sstorchestrator.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An empty history, migrated by Flyway when the product is built, that a node's first SST
 * copies into place instead of migrating one itself. Every joining node starts with no
 * history, and creating and migrating one cost it 0.2-0.4 s (Flyway's set-up, scan and DDL)
 * on the SST's critical path; a copy and a password change cost a few milliseconds. Later
 * migrations still run through Flyway on the copy, as on any older history.
 *
 * <p>The launcher names the template with the {@value #PROPERTY} system property; without it
 * (unit tests, an incomplete install) the history is created and migrated in place.
 */
public final class HistoryTemplate {

    public static final String PROPERTY = "sst.history.template";
    /** The template's own password, replaced by the directory's key before the copy is the history. */
    static final String PASSWORD = "template";
    private static final String STAGING = "history-new";

    private HistoryTemplate() {
    }

    /** The build's step: {@code args[0]} is where the template goes (…/history-template.mv.db). */
    public static void main(String[] args) throws Exception {
        create(Path.of(args[0]));
    }

    public static void create(Path file) throws IOException, SQLException {
        Path dir = Files.createTempDirectory("sst-history-template-");
        try {
            try (Connection c = HistoryDatabase.connect("jdbc:h2:file:" + dir.resolve(HistoryDatabase.NAME)
                    + ";DB_CLOSE_ON_EXIT=FALSE", HistoryDatabase.USER, PASSWORD)) {
                HistoryDatabase.migrate(c);
                try (Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN COMPACT");
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(dir.resolve(HistoryDatabase.NAME + ".mv.db"), file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Makes {@code dir}'s history from the template when it has none yet and a template is
     * named: copied under a staging name, its password set to {@code password}, closed, then
     * renamed into place, so a crash at any point leaves either no history (the next run
     * starts again) or a whole one that opens with the directory's key. Returns whether it did.
     */
    static boolean install(Path dir, String password) throws IOException, SQLException {
        String named = System.getProperty(PROPERTY);
        Path target = dir.resolve(HistoryDatabase.NAME + ".mv.db");
        if (named == null || named.isBlank() || Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path template = Path.of(named);
        if (!Files.isRegularFile(template)) {
            return false;
        }
        Path staging = dir.resolve(STAGING + ".mv.db");
        Files.deleteIfExists(staging); // a copy an interrupted run left: never the history itself
        // created owner-only before a byte of the template is in it
        Files.createFile(staging, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (java.io.OutputStream out = Files.newOutputStream(staging, java.nio.file.StandardOpenOption.WRITE)) {
            Files.copy(template, out);
        }
        try (Connection c = HistoryDatabase.connect("jdbc:h2:file:" + dir.toAbsolutePath().resolve(STAGING)
                + ";DB_CLOSE_ON_EXIT=FALSE;IFEXISTS=TRUE", HistoryDatabase.USER, PASSWORD);
             Statement st = c.createStatement()) {
            // the key is hex (HistoryDatabase.passwordFor): nothing in it needs quoting
            st.execute("ALTER USER " + HistoryDatabase.USER + " SET PASSWORD '" + password + "'");
            st.execute("SHUTDOWN");
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}
