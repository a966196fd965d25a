package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.NewRun;

/**
 * Issue 18 item 2: a history is writable by the SST's user, and resume often runs as root, so
 * resume takes nothing executable from the record: of the environment only the directory
 * variables mysqld sets for an SST, and the option files only as named on its own command line.
 * The forged run here names a PATH whose {@code my_print_defaults} leaves a mark if it runs.
 */
class ResumeTrustTest {

    private static final String RUN = "77777777-7777-4777-8777-777777777777";

    @TempDir
    Path tmp;
    private Path history;
    private Path mark;
    private Path cnf;

    @BeforeEach
    void plantedPath() throws Exception {
        history = tmp.resolve("history");
        mark = tmp.resolve("planted-program-ran");
        Path evil = Files.createDirectories(tmp.resolve("evil-bin"));
        for (String program : List.of("my_print_defaults", "mariadb-backup", "mbstream")) {
            Path p = evil.resolve(program);
            Files.writeString(p, "#!/bin/sh\nid -u >> '" + mark + "'\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        cnf = tmp.resolve("node.cnf");
        Files.writeString(cnf, "[sst]\nhistory-dir=" + history + "\n");
    }

    /** An interrupted joiner past its stream, started with {@code defaultsFile}, recording {@code env}. */
    private void forgedRun(Path defaultsFile, Map<String, String> env) {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            long[] now = {1_763_683_200_000L};
            H2RunJournal j = new H2RunJournal(db, () -> now[0] += 1000);
            Path data = tmp.resolve("data");
            j.runStarted(new NewRun(RUN, "joiner", data.toString(), null, 1, 42L, "0.2.0", now[0]));
            j.runArguments(RUN, List.of("--role", "joiner", "--address", "127.0.0.1:4444", "--datadir", data.toString(),
                    "--defaults-file", defaultsFile.toString(), "--parent", "1"));
            env.forEach((k, v) -> j.attribute(RUN, "env." + k, v));
            for (String s : List.of("preflight", "listen", "receive_magic", "check_versions", "plan_space", "receive_stream")) {
                j.stageStarted(RUN, s);
                j.stageCompleted(RUN, s, "ok");
            }
        }
    }

    private String[] resume(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("resume", RUN, "--history-dir", history.toString()));
        args.addAll(List.of(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(args.toArray(String[]::new));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void aRecordedPathChoosesNoProgramThatResumeRuns() {
        forgedRun(cnf, Map.of("PATH", tmp.resolve("evil-bin").toString(), "LD_PRELOAD", "/tmp/evil.so",
                "INNODB_DATA_HOME_DIR", "/srv/ibdata"));
        String[] r = resume("--defaults-file", cnf.toString());
        assertEquals("1", r[0], "resume cannot finish a run without its .sst: " + r[1] + r[2]);
        assertFalse(Files.exists(mark), "a program from the recorded PATH ran: " + r[1] + r[2]);
    }

    @Test
    void ofTheRecordedEnvironmentOnlyTheDirectoryVariablesAreTaken() {
        forgedRun(cnf, Map.of("PATH", "/evil", "LD_PRELOAD", "/tmp/evil.so", "JAVA_TOOL_OPTIONS", "-javaagent:x",
                "INNODB_DATA_HOME_DIR", "/srv/ibdata", "INNODB_UNDO_DIR", "/srv/undo"));
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            Map<String, String> env = ResumeCommand.environment(new HistoryQueries(db).detail(RUN));
            assertEquals("/srv/ibdata", env.get("INNODB_DATA_HOME_DIR"));
            assertEquals("/srv/undo", env.get("INNODB_UNDO_DIR"));
            assertEquals(System.getenv("PATH"), env.get("PATH"));
            assertEquals(System.getenv("LD_PRELOAD"), env.get("LD_PRELOAD"));
            assertEquals(System.getenv("JAVA_TOOL_OPTIONS"), env.get("JAVA_TOOL_OPTIONS"));
        }
    }

    @Test
    void aRecordedOptionFileOtherThanTheOneResumeIsGivenIsRefusedBeforeAnythingRuns() throws Exception {
        Path planted = tmp.resolve("planted.cnf");
        Files.writeString(planted, "[sst]\nhistory-dir=" + history + "\n");
        forgedRun(planted, Map.of("PATH", tmp.resolve("evil-bin").toString()));
        String[] without = resume();
        assertEquals("1", without[0]);
        assertTrue(without[2].contains("was started with --defaults-file=" + planted) && without[2].contains(
                "pass --defaults-file=" + planted), without[2]);
        String[] other = resume("--defaults-file", cnf.toString());
        assertEquals("1", other[0]);
        assertTrue(other[2].contains("resume was given --defaults-file=" + cnf), other[2]);
        assertFalse(Files.exists(mark));
    }
}
