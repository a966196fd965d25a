package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.RunSummary;

/**
 * sst-admin after real SSTs on a real cluster: a completed one, a joiner killed mid-stream,
 * a joiner interrupted after its stream (resumed without a donor), and a donor whose
 * backup fails. Crashes come from named fault points (SST_FAULT) that halt the SST JVM
 * like kill -9; the failing backup from a stand-in for mariadb-backup in one node's basedir.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminScenarioIT {

    /**
     * A stand-in for mariadb-backup on the bootstrap node: the real one, except that once the
     * flag file exists, --backup fails the way a donor without a usable mariadb-backup does.
     */
    private static String failingBackupOnceFlagged(Path flag) {
        return "#!/bin/sh\n"
                + "if [ -e '" + flag + "' ]; then\n"
                + "  for a in \"$@\"; do\n"
                + "    if [ \"$a\" = \"--backup\" ]; then\n"
                + "      echo \"simulated: mariadb-backup is not usable on this donor\" >&2\n"
                + "      exit 127\n"
                + "    fi\n"
                + "  done\n"
                + "fi\n"
                + "exec /usr/bin/mariadb-backup \"$@\"\n";
    }

    /**
     * A stand-in for mbstream: the real one, but while the flag file exists it lingers after
     * its input ends, as a wedged child would, so that it outlives a killed SST process.
     */
    private static String lingeringMbstreamWhileFlagged(Path flag) {
        return "#!/bin/sh\n"
                + "/usr/bin/mbstream \"$@\"\n"
                + "rc=$?\n"
                + "if [ -e '" + flag + "' ]; then sleep 600; fi\n"
                + "exit $rc\n";
    }

    private Path failBackups;

    private LocalCluster cluster;
    private GaleraNode donor;
    private GaleraNode second;

    @BeforeAll
    void cluster() throws Exception {
        cluster = ClusterFixture.newCluster("admin");
        failBackups = cluster.home().resolve("fail-backups");
        donor = cluster.addNode("mariabackup_sm", false, List.of(), List.of(), Map.of(),
                Map.of("mariadb-backup", failingBackupOnceFlagged(failBackups)));
        cluster.bootstrap(donor);
        LocalCluster.load(donor, 40);
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            // a stand-in left lingering by a failed assertion must not outlive the test run
            ProcessHandle.allProcesses().map(p -> java.util.Map.entry(p, p.info().commandLine().orElse("")))
                    .filter(e -> e.getValue().contains(cluster.home().toString()) && e.getValue().contains("/basedir/bin/"))
                    .forEach(e -> e.getKey().destroyForcibly());
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    private static String[] admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static String[] admin(GaleraNode node, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--history-dir";
        all[args.length + 1] = node.historyDir().toString();
        return admin(all);
    }

    private GaleraNode failingJoiner(String fault, Map<String, String> standIns) throws Exception {
        // a stand-in mbstream is only run by the mbstream fallback: the joiner then extracts through it
        List<String> sst = standIns.containsKey("mbstream") ? List.of("sst-extractor=mbstream") : List.of();
        GaleraNode n = cluster.addNode("mariabackup_sm", false, sst, List.of("wsrep_sst_donor=node1"),
                Map.of("SST_FAULT", fault), standIns);
        n.start(false);
        ClusterFixture.awaitFailedJoin(n, Duration.ofMinutes(3));
        return n;
    }

    @Test
    @Order(1)
    void aRealSstIsRecordedAndInspectShowsEveryStageAndLogsKeepsThePrepareLog() throws Exception {
        second = cluster.addNode("mariabackup_sm", false, List.of());
        cluster.join(second, Duration.ofMinutes(4));
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(second, "sbtest.t"));
        String[] h = admin(second, "history");
        assertTrue(h[1].lines().skip(1).findFirst().orElse("").contains("completed"), h[1]);
        String[] inspect = admin(second, "inspect", "last");
        assertEquals("0", inspect[0], inspect[2]);
        for (String s : List.of("report_position", "receive_stream", "TRANSFERS", "mariadb-backup", "Position ",
                "LEFT ON DISK\n  nothing")) {
            assertTrue(inspect[1].contains(s), s + " in:\n" + inspect[1]);
        }
        String[] logs = admin(second, "logs", "last", "--stage", "prepare");
        assertEquals("0", logs[0], logs[2]);
        assertTrue(logs[1].contains("mariabackup.prepare.log") && logs[1].contains("completed OK!"), logs[1]);
        String[] json = admin(second, "inspect", "last", "--json");
        assertTrue(json[1].startsWith("{\"id\": ") && json[1].contains("\"outcome\": \"completed\""), json[1]);
    }

    @Test
    @Order(2)
    void aJoinerKilledMidStreamIsInterruptedItsDonorFailsAndCleanupLetsTheNextSstSucceed() throws Exception {
        Path linger = cluster.home().resolve("linger");
        Files.createFile(linger);
        GaleraNode joiner = failingJoiner("receive_stream.midstream:halt",
                Map.of("mbstream", lingeringMbstreamWhileFlagged(linger)));
        RunSummary j = ClusterFixture.history(joiner).get(0);
        assertEquals("interrupted", j.outcome());
        assertEquals("receive_stream", j.lastStage());
        RunSummary d = ClusterFixture.awaitEnd(donor, Duration.ofSeconds(60));
        assertEquals("failed", d.outcome(), "the donor's run ends when its joiner dies (P3)");
        assertEquals("stream_backup", d.lastStage());
        assertEquals(32, d.exitCode());

        String[] h = admin(joiner, "history", "--outcome", "interrupted");
        assertTrue(h[1].contains(j.id().substring(0, 8)), h[1]);
        String[] inspect = admin(joiner, "inspect", "last");
        assertTrue(inspect[1].contains("INTERRUPTED at receive_stream"), inspect[1]);

        Path sst = joiner.datadir().resolve(".sst");
        assertTrue(Files.isDirectory(sst));
        String[] dry = admin(joiner, "cleanup", "last", "--dry-run");
        assertEquals("0", dry[0], dry[2]);
        assertTrue(dry[1].contains("would remove directory " + sst), dry[1]);
        assertTrue(dry[1].contains("sst_in_progress"), dry[1]);
        List<ProcessHandle> orphans = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(cluster.home() + "/" + joiner.name() + "/basedir/bin/mbstream"))
                .toList();
        assertEquals(1, orphans.size(), "the stand-in mbstream outlived the killed joiner: "
                + orphans.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("") + " parent "
                + p.parent().map(ProcessHandle::pid).orElse(-1L)).toList());
        assertTrue(dry[1].lines().anyMatch(l -> l.contains("would remove process") && l.contains(" pid " + orphans.get(0).pid()
                + " ")), dry[1]);
        assertTrue(Files.isDirectory(sst) && orphans.get(0).isAlive(), "a dry run changes nothing");

        String[] clean = admin(joiner, "cleanup", "last");
        assertEquals("0", clean[0], clean[2]);
        assertFalse(orphans.get(0).isAlive(), "cleanup killed the orphaned child of the run:\n" + clean[1]);
        assertFalse(Files.exists(sst));
        assertFalse(Files.exists(joiner.datadir().resolve("sst_in_progress")));
        assertFalse(Files.exists(joiner.datadir().resolve("wsrep_sst.pid")));
        assertTrue(admin(joiner, "inspect", "last")[1].contains("cleanup"), "the cleanup is recorded");

        joiner.environment("SST_FAULT", null);
        Files.delete(linger);
        cluster.join(joiner, Duration.ofMinutes(4));
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));
        assertEquals("completed", ClusterFixture.history(joiner).get(0).outcome());
        assertTrue(admin(joiner, "inspect", j.id())[1].contains("found_interrupted"),
                "the next SST on the datadir recorded the interrupted run it found");
        joiner.stop();
    }

    @Test
    @Order(3)
    void aJoinerInterruptedAfterItsStreamIsResumedWithoutADonorAndRejoins() throws Exception {
        GaleraNode joiner = failingJoiner("prepare.started:halt", Map.of());
        RunSummary j = ClusterFixture.history(joiner).get(0);
        assertEquals("interrupted", j.outcome());
        assertEquals("prepare", j.lastStage());

        String[] refused = admin(donor, "resume", "last");
        assertEquals("1", refused[0]);
        assertTrue(refused[2].contains("donor run"), refused[2]);

        String[] resumed = admin(joiner, "resume", "last", "--defaults-file", joiner.cnf().toString());
        assertEquals("0", resumed[0], resumed[1] + resumed[2]);
        assertTrue(resumed[1].contains("from prepare") && resumed[1].contains("Done:"), resumed[1]);
        assertTrue(Files.readString(joiner.datadir().resolve("grastate.dat")).contains("seqno:"));
        assertFalse(Files.exists(joiner.datadir().resolve(".sst")));
        assertEquals("completed", ClusterFixture.history(joiner).get(0).outcome(), "the same run, finished");

        joiner.environment("SST_FAULT", null);
        joiner.start(false);
        joiner.awaitSynced(Duration.ofMinutes(3));
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));
        joiner.stop();
    }

    @Test
    @Order(4)
    void aDonorWhoseBackupFailsIsRecordedFailedAndInspectNamesTheStageMeaningLogTailAndRemedy() throws Exception {
        Files.createFile(failBackups);
        GaleraNode joiner = cluster.addNode("mariabackup_sm", false, List.of(), List.of("wsrep_sst_donor=node1"),
                Map.of(), Map.of());
        joiner.start(false);
        ClusterFixture.awaitFailedJoin(joiner, Duration.ofMinutes(3));
        RunSummary d = ClusterFixture.awaitEnd(donor, Duration.ofSeconds(60));
        assertEquals("donor", d.role());
        assertEquals("failed", d.outcome());
        assertEquals("stream_backup", d.lastStage());
        assertEquals(22, d.exitCode());
        String[] inspect = admin(donor, "inspect", "last");
        for (String s : List.of("ERROR in stream_backup: exit 22 (EINVAL)", "meaning:", "remedy:", "LOG TAIL",
                "simulated: mariadb-backup is not usable")) {
            assertTrue(inspect[1].contains(s), s + " in:\n" + inspect[1]);
        }
        RunSummary j = ClusterFixture.awaitEnd(joiner, Duration.ofSeconds(60));
        assertEquals("failed", j.outcome(), j.toString());
    }
}
