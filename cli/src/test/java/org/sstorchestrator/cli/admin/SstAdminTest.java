package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.cli.Golden;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;

/** sst-admin's output, compared with golden files (regenerate with -Dregenerate.golden=true). */
class SstAdminTest {

    @TempDir
    static Path tmp;
    static Path history;

    @BeforeAll
    static void twoRecordedRuns() {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        history = tmp.resolve("history");
        long[] now = {1_763_683_200_000L};
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            H2RunJournal j = new H2RunJournal(db, () -> now[0] += 1500);
            String ok = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";
            j.runStarted(new NewRun(ok, "joiner", "/var/lib/mysql", null, 1, 0L, "0.1.0", now[0]));
            j.attribute(ok, "peer", "127.0.0.1");
            for (String s : new String[] {"preflight", "listen", "receive_magic", "receive_stream"}) {
                j.stageStarted(ok, s);
                j.stageCompleted(ok, s, "ok");
            }
            j.transfer(ok, "receive_stream", "backup", 104_857_600L, now[0], now[0], true);
            j.stageStarted(ok, "report_position");
            j.stageCompleted(ok, "report_position", "ok");
            j.runEnded(ok, true, 0, null);
            String bad = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
            j.runStarted(new NewRun(bad, "donor", "/var/lib/mysql", "10.0.0.2:4444", 1, 0L, "0.1.0", now[0]));
            j.stageStarted(bad, "preflight");
            j.stageFailed(bad, "preflight", 42, "mariadb-backup not found in PATH");
            j.runEnded(bad, false, 42, "mariadb-backup not found in PATH");
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void helpListsSubcommandsAndExitCodes() throws IOException {
        String[] r = run("--help");
        assertEquals("0", r[0]);
        Golden.assertMatches("sst-admin-help.txt", r[1]);
    }

    @Test
    void historyIsATableNewestFirst() throws IOException {
        String[] r = run("history", "--history-dir", history.toString());
        assertEquals("0", r[0], r[2]);
        Golden.assertMatches("history.txt", r[1]);
    }

    @Test
    void historyJsonHasTheSameRuns() throws IOException {
        String[] r = run("history", "--json", "--history-dir", history.toString());
        assertEquals("0", r[0], r[2]);
        Golden.assertMatches("history.json", r[1]);
    }

    @Test
    void historyOfOneRoleOnly() {
        String[] r = run("history", "--role", "donor", "--history-dir", history.toString());
        assertTrue(r[1].contains("donor") && !r[1].contains("joiner"), r[1]);
    }

    @Test
    void aDirectoryWithNoHistoryIsExit1NamingIt() {
        String[] r = run("history", "--history-dir", tmp.resolve("empty").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains(tmp.resolve("empty").toString()), r[2]);
        assertEquals("", r[1]);
    }
}
