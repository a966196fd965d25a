package org.sstorchestrator.cli.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.persistence.RunFilter;

/** sst-admin's read and refusal paths on a fixture history (the real-cluster paths are in AdminScenarioIT). */
class AdminCommandsTest {

    @TempDir
    static Path tmp;
    static Path history;
    static final String INTERRUPTED = "11111111-1111-4111-8111-111111111111";
    static final String DONOR = "22222222-2222-4222-8222-222222222222";
    static final String LIVE = "33333333-3333-4333-8333-333333333333";
    static final String DONE = "44444444-4444-4444-8444-444444444444";
    static final String STREAMED = "55555555-5555-4555-8555-555555555555";

    @BeforeAll
    static void fixture() {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        history = tmp.resolve("history");
        long[] now = {1_763_683_200_000L};
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            H2RunJournal j = new H2RunJournal(db, () -> now[0] += 1000);
            // a joiner killed while receiving: no end, and its owner (pid 1 with another start time) is gone
            j.runStarted(new NewRun(INTERRUPTED, "joiner", "/nonexistent/datadir", null, 1, 42L, "0.1.0", now[0]));
            j.attribute(INTERRUPTED, "peer", "127.0.0.1");
            for (String s : new String[] {"preflight", "listen", "receive_magic"}) {
                j.stageStarted(INTERRUPTED, s);
                j.stageCompleted(INTERRUPTED, s, "ok");
            }
            j.stageStarted(INTERRUPTED, "receive_stream");
            j.progress(INTERRUPTED, "receive_stream", 52_428_800L, 104_857_600L);
            j.runStarted(new NewRun(DONOR, "donor", "/nonexistent/datadir", "127.0.0.1:4444", 1, 42L, "0.1.0", now[0]));
            j.stageStarted(DONOR, "preflight");
            j.stageFailed(DONOR, "preflight", 42, "mariadb-backup not found in PATH (/usr/bin)");
            j.stageStarted(DONOR, "abort");
            j.stageCompleted(DONOR, "abort", "ok");
            j.runEnded(DONOR, false, 42, "mariadb-backup not found in PATH (/usr/bin)");
            ProcessHandle self = ProcessHandle.current();
            j.runStarted(new NewRun(LIVE, "joiner", "/nonexistent/other", null, self.pid(),
                    org.sstorchestrator.persistence.OwnerLiveness.startOf(self), "0.1.0", now[0]));
            j.stageStarted(LIVE, "listen");
            j.runStarted(new NewRun(DONE, "joiner", "/nonexistent/datadir", null, 1, 42L, "0.1.0", now[0]));
            j.attribute(DONE, "security", "TLS encrypt=4 ssl-mode=VERIFY_IDENTITY");
            j.attribute(DONE, "tls.magic", "encrypt=4 ssl-mode=VERIFY_IDENTITY TLSv1.3 TLS_AES_256_GCM_SHA384; peer"
                    + " CN=donor.example SHA-256 AB:CD; chain verified");
            j.attribute(DONE, "tls.backup", "encrypt=4 ssl-mode=VERIFY_IDENTITY TLSv1.3 TLS_AES_256_GCM_SHA384; peer"
                    + " CN=donor.example SHA-256 AB:CD; chain verified");
            j.attribute(DONE, "tls.crypto", "AWS-LC (AmazonCorrettoCryptoProvider 2.5.0)");
            j.attribute(DONE, "compilers", "C1");
            j.runEnded(DONE, true, 0, null);
            // a joiner whose stream was over before anyone looked: its last figures belong to receive_stream
            j.runStarted(new NewRun(STREAMED, "joiner", "/nonexistent/datadir", null, 1, 42L, "0.1.0", now[0]));
            j.stageStarted(STREAMED, "receive_stream");
            j.progress(STREAMED, "receive_stream", 104_857_600L, 104_857_600L);
            j.stageCompleted(STREAMED, "receive_stream", "ok");
            j.stageStarted(STREAMED, "prepare");
            j.stageCompleted(STREAMED, "prepare", "ok");
            j.runEnded(STREAMED, true, 0, null);
        }
    }

    private static String[] run(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--history-dir";
        all[args.length + 1] = history.toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(all);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** Issue 8: the wire's protection per transfer, as the run recorded it. */
    @Test
    void inspectShowsTheTlsModeProtocolSuitePeerCertificateOfEachTransferAndWhatDidTheCrypto() {
        String out = run("inspect", DONE)[1];
        assertTrue(out.contains("Wire     TLS encrypt=4 ssl-mode=VERIFY_IDENTITY\n"), out);
        assertTrue(out.contains("TLS      magic: encrypt=4 ssl-mode=VERIFY_IDENTITY TLSv1.3 TLS_AES_256_GCM_SHA384; peer"
                + " CN=donor.example SHA-256 AB:CD; chain verified\n"), out);
        assertTrue(out.contains("TLS      backup: "), out);
        assertTrue(out.contains("Crypto   AWS-LC (AmazonCorrettoCryptoProvider 2.5.0)\nJVM      compilers C1\n"), out);
        String json = run("inspect", DONE, "--json")[1];
        assertTrue(json.contains("\"tls.backup\":") && json.contains("TLS_AES_256_GCM_SHA384"), json);
    }

    @Test
    void watchLabelsTheLastFiguresWithTheStageThatMovedThemNotTheStageTheRunIsIn() {
        String[] r = run("watch", "55555555");
        assertEquals("0", r[0], r[2]);
        assertEquals(java.util.List.of("Watching run " + STREAMED,
                "receive_stream  [##############################] 100%  100.0 MB / 100.0 MB",
                "Run 55555555 completed at prepare (exit 0)"), r[1].lines().toList());
    }

    @Test
    void historyFiltersByOutcomeRoleAndStart() {
        assertTrue(run("history", "--outcome", "interrupted")[1].contains("11111111  joiner"));
        assertEquals(2, run("history", "--outcome", "interrupted")[1].lines().count(), "header + one run");
        assertTrue(run("history", "--outcome", "running")[1].contains("33333333"));
        assertTrue(run("history", "--outcome", "failed", "--role", "donor")[1].contains("22222222"));
        assertEquals(1, run("history", "--outcome", "failed", "--role", "joiner")[1].lines().count() - 1);
        assertTrue(run("history", "--since", "2025-11-21")[1].contains("44444444"));
        assertTrue(run("history", "--since", "2030-01-01")[1].contains("(no runs recorded)"));
    }

    @Test
    void badFilterValuesAreUsageErrorsNamingTheValue() {
        String[] r = run("history", "--outcome", "exploded");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'exploded'"), r[2]);
        String[] s = run("history", "--since", "yesterday-ish");
        assertEquals("1", s[0]);
        assertTrue(s[2].contains("'yesterday-ish'"), s[2]);
    }

    @Test
    void sinceTakesDatesInstantsAndAges() {
        long now = 1_000_000_000_000L;
        assertEquals(now - 7 * 86_400_000L, HistoryCommand.sinceMs("7d", now));
        assertEquals(now - 90 * 60_000L, HistoryCommand.sinceMs("90m", now));
        assertEquals(1_763_683_200_000L, HistoryCommand.sinceMs("2025-11-21T00:00:00Z", now));
        assertEquals(1_763_683_200_000L, HistoryCommand.sinceMs("2025-11-21", now));
    }

    @Test
    void inspectOfAnInterruptedRunShowsWhereItStoppedAndWhatToDo() throws Exception {
        String[] r = run("inspect", "1111");
        assertEquals("0", r[0], r[2]);
        org.sstorchestrator.cli.Golden.assertMatches("inspect-interrupted.txt", r[1]);
    }

    @Test
    void inspectOfAFailedRunNamesTheStageTheCodesMeaningAndARemedy() {
        String[] r = run("inspect", DONOR);
        assertTrue(r[1].contains("ERROR in preflight: exit 42 (TOOL_MISSING)"), r[1]);
        assertTrue(r[1].contains("remedy:  install the mariadb-backup package on this node"), r[1]);
        String[] j = run("inspect", DONOR, "--json");
        assertTrue(j[1].contains("\"error\": {\"stage\": \"preflight\", \"exit_code\": 42"), j[1]);
    }

    @Test
    void unknownOrAmbiguousRunIdsAreRefusedNamingTheValue() {
        String[] r = run("inspect", "abcdef");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("no run 'abcdef'"), r[2]);
        assertTrue(run("inspect", "'; drop table run; --")[2].contains("is not a run id"));
    }

    @Test
    void cleanupRefusesALiveRunAndAFinishedOneAndChangesNothing() {
        String[] live = run("cleanup", LIVE);
        assertEquals("1", live[0]);
        assertTrue(live[2].contains("is running; cleanup never touches a live run"), live[2]);
        assertTrue(run("cleanup", DONE)[2].contains("completed"));
        assertEquals("2", run("cleanup")[0], "a RUN or --stale is required");
    }

    @Test
    void resumeRefusesEverythingButAJoinerInterruptedAfterItsStream() {
        assertTrue(run("resume", DONOR)[2].contains("donor run"));
        assertTrue(run("resume", DONE)[2].contains("is completed; only an interrupted run"));
        String[] early = run("resume", INTERRUPTED);
        assertEquals("1", early[0]);
        assertTrue(early[2].contains("before its stream was completely received"), early[2]);
    }

    @Test
    void logsOfARunThatKeptNoneSaySo() {
        String[] r = run("logs", DONE);
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("kept no logs"), r[2]);
    }

    @Test
    void historyOfTenThousandRunsReturnsTheNewestFirst(@TempDir Path big) throws Exception {
        try (HistoryDatabase db = HistoryDatabase.openForWriting(big)) {
            db.connection().setAutoCommit(false);
            H2RunJournal j = new H2RunJournal(db, () -> 0L);
            for (int i = 0; i < 10_000; i++) {
                String id = String.format("%08d-0000-4000-8000-000000000000", i);
                j.runStarted(new NewRun(id, i % 2 == 0 ? "joiner" : "donor", "/d", null, 1, 42L, "t", i * 1000L));
                j.stageStarted(id, "preflight");
                j.stageCompleted(id, "preflight", "ok");
                j.runEnded(id, i % 10 != 0, i % 10 == 0 ? 32 : 0, null);
            }
            db.connection().commit();
            long t0 = System.nanoTime();
            var q = new HistoryQueries(db);
            var runs = q.history(RunFilter.latest(50));
            var failed = q.history(new RunFilter("joiner", "failed", null, 50));
            System.out.printf("history of 10,000 runs: %d ms for two queries%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(50, runs.size());
            assertEquals("00009999-0000-4000-8000-000000000000", runs.get(0).id());
            assertEquals(50, failed.size());
            assertTrue(failed.stream().allMatch(r -> r.outcome().equals("failed") && r.role().equals("joiner")));
        }
    }

    @Test
    void resumeIsOfferedOnlyForJoinersPastTheirStream() {
        assertThrows(org.sstorchestrator.persistence.HistoryException.class, () -> {
            try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
                ResumeCommand.firstIncomplete(new HistoryQueries(db).detail(INTERRUPTED));
            }
        });
    }
}
