package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * A real 2-node Galera cluster on 127.0.0.1, both nodes with wsrep_sst_method=mariabackup_sm.
 * First a full SST of 100 MB of InnoDB rows, then an IST (the donor bypasses the SST).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariabackupSmClusterIT {

    private LocalCluster cluster;
    private GaleraNode donor;
    private GaleraNode joiner;

    @BeforeAll
    void startDonorWith100MegabytesOfRows() throws Exception {
        cluster = ClusterFixture.newCluster("sm");
        donor = cluster.addNode("mariabackup_sm", false, List.of());
        joiner = cluster.addNode("mariabackup_sm", false, List.of());
        cluster.bootstrap(donor);
        LocalCluster.load(donor, 100);
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    @Test
    @Order(1)
    void joinerWithAnEmptyDatadirGetsTheDonorsRowsThroughEveryStage() throws Exception {
        // sst-admin watch follows the joiner's SST from another "terminal" while it writes its history
        StringWriter watched = new StringWriter();
        StringWriter watchErrors = new StringWriter();
        java.util.concurrent.atomic.AtomicInteger watchExit = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread watch = new Thread(() -> watchExit.set(new SstAdmin(new PrintWriter(watched, true),
                new PrintWriter(watchErrors, true)).execute("watch", "--wait", "120", "--interval-ms", "200",
                "--history-dir", joiner.historyDir().toString())));
        watch.start();
        try {
            cluster.join(joiner, Duration.ofMinutes(5));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\n" + ClusterFixture.errorLogTail(joiner), e);
        }
        watch.join(60_000);
        String w = watched + "\n(watch exit " + watchExit.get() + ", stderr: " + watchErrors + ")";
        assertEquals(0, watchExit.get(), w);
        assertTrue(w.startsWith("Watching run "), w);
        assertTrue(w.lines().anyMatch(l -> l.startsWith("receive_stream") && l.contains("MB") && l.contains("%")), w);
        assertTrue(w.contains("completed at report_position"), w);
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));
        assertEquals(donor.sql("SELECT COUNT(*) FROM sbtest.t"), joiner.sql("SELECT COUNT(*) FROM sbtest.t"));

        RunSummary j = ClusterFixture.history(joiner).get(0);
        assertEquals("completed", j.outcome());
        assertEquals(0, j.exitCode());
        assertTrue(j.bytes() > 100L * 1024 * 1024, "joiner received " + j.bytes() + " bytes");
        assertEquals(ClusterFixture.cleanRun(SstMachines.joiner()),
                ClusterFixture.events(joiner, j.id()));

        RunSummary d = ClusterFixture.history(donor).get(0);
        assertEquals("completed", d.outcome());
        assertEquals(ClusterFixture.cleanRun(SstMachines.donor()),
                ClusterFixture.events(donor, d.id()));
        assertEquals(j.bytes(), d.bytes(), "bytes sent and received");
        assertTrue(!Files.exists(joiner.datadir().resolve(".sst")), ".sst is removed after move-back");
        assertTrue(!Files.exists(joiner.datadir().resolve("sst_in_progress")), "sst_in_progress is removed");
        assertTrue(Files.list(joiner.datadir()).noneMatch(p -> p.getFileName().toString().startsWith("history")),
                "the history database lives outside the datadir and is not copied by the backup");
    }

    @Test
    @Order(3)
    void doctorPassesOnAHealthyDonorAndNamesTheRemedyOfABrokenOption() throws Exception {
        StringWriter out = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .execute("doctor", "--defaults-file", donor.cnf().toString());
        assertEquals(0, code, out.toString());
        for (String check : List.of("PASS  tool mariadb-backup", "PASS  mariadb-backup matches the server",
                "PASS  SST user connects", "PASS  free disk", "PASS  SST port free", "PASS  history directory",
                "PASS  TLS as joiner", "PASS  TLS as donor")) {
            assertTrue(out.toString().contains(check), check + " in:\n" + out);
        }
        java.nio.file.Path broken = donor.cnf().resolveSibling("broken.cnf");
        Files.writeString(broken, Files.readString(donor.cnf())
                + "sst-initial-timeout=soon\nencrypt=3\nssl-cert=/nonexistent/cert.pem\nssl-key=/nonexistent/key.pem\n");
        StringWriter bad = new StringWriter();
        assertEquals(1, new SstAdmin(new PrintWriter(bad), new PrintWriter(new StringWriter()))
                .execute("doctor", "--defaults-file", broken.toString()));
        assertTrue(bad.toString().contains("FAIL  [sst] options") && bad.toString().contains("'soon'"), bad.toString());
        assertTrue(bad.toString().contains("FAIL  TLS as joiner") && bad.toString().contains("FAIL  TLS as donor")
                && bad.toString().contains("ssl-cert /nonexistent/cert.pem: no such file"), bad.toString());
    }

    @Test
    @Order(2)
    void restartedJoinerCatchesUpByIstWhileTheDonorBypassesTheSst() throws Exception {
        joiner.stop();
        donor.sql("INSERT INTO sbtest.t (k, pad) SELECT seq, 'after restart' FROM sbtest.seq_1_to_500");
        try {
            cluster.join(joiner, Duration.ofMinutes(3));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\n" + ClusterFixture.errorLogTail(joiner), e);
        }
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));

        RunSummary j = ClusterFixture.history(joiner).get(0);
        assertEquals("completed", j.outcome());
        assertEquals(ClusterFixture.cleanRun(SstMachines.joiner(), "receive_magic:ist"),
                ClusterFixture.events(joiner, j.id()));
        RunSummary d = ClusterFixture.history(donor).get(0);
        assertEquals(ClusterFixture.cleanRun(SstMachines.donor(), "send_magic:ist"),
                ClusterFixture.events(donor, d.id()));
    }

    /**
     * mysqld 10.11 always passes --progress 0, so this runs both of our processes as mysqld
     * would with --progress 1: the joiner into a scratch datadir, the donor backing up the
     * running donor node. Both print total/complete; the joiner still ends with the position.
     */
    @Test
    @Order(4)
    void withProgressOneBothSidesTellMysqldTheTotalAndTheBytesCompleted(@TempDir Path tmp) throws Exception {
        DirectSst.Side j = DirectSst.joiner(tmp, List.of(), Map.of(), "--progress", "1");
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.Side d = DirectSst.donor(tmp, donor, address, List.of(), Map.of(), "--progress", "1");
        assertEquals(0, d.exit(Duration.ofMinutes(3)), d.err());
        assertEquals(0, j.exit(Duration.ofMinutes(3)), j.err());
        TransitionLedger.record(getClass(), tmp);

        List<String> joinerLines = j.lines();
        List<String> donorLines = d.lines();
        assertProgressLines(joinerLines.subList(1, joinerLines.size() - 1), joinerLines.toString());
        assertTrue(joinerLines.get(joinerLines.size() - 1).matches("[0-9a-f-]{36}:\\d+ 0"), joinerLines.toString());
        assertProgressLines(donorLines.subList(0, donorLines.size() - 1), donorLines.toString());
        assertTrue(donorLines.get(donorLines.size() - 1).startsWith("done "), donorLines.toString());
        assertTrue(donorLines.stream().allMatch(l -> l.length() < 128), "donor lines stay under 128 bytes");
    }

    /** The fallback kept for one release: [sst] sst-extractor=mbstream extracts through mbstream -x and joins alike. */
    @Test
    @Order(5)
    void aJoinerOnTheMbstreamFallbackGetsTheSameRows() throws Exception {
        GaleraNode fallback = cluster.addNode("mariabackup_sm", false, List.of("sst-extractor=mbstream"));
        try {
            cluster.join(fallback, Duration.ofMinutes(5));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\n" + ClusterFixture.errorLogTail(fallback), e);
        }
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(fallback, "sbtest.t"));
        RunSummary j = ClusterFixture.history(fallback).get(0);
        assertEquals("completed", j.outcome());
        assertTrue(ClusterFixture.children(fallback, j.id()).stream().anyMatch(c -> c.contains("mbstream") && c.endsWith("-x")),
                "mbstream -x ran: " + ClusterFixture.children(fallback, j.id()));
        cluster.discard(fallback);
    }

    /** One total first, then complete lines that only grow and reach at least 100 MB. */
    private static void assertProgressLines(List<String> lines, String all) {
        assertTrue(lines.size() >= 2 && lines.get(0).matches("total \\d+"), all);
        long last = -1;
        for (String l : lines.subList(1, lines.size())) {
            assertTrue(l.matches("complete \\d+"), l + " in " + all);
            long n = Long.parseLong(l.substring("complete ".length()));
            assertTrue(n >= last, "complete never goes back: " + all);
            last = n;
        }
        assertTrue(last > 100L * 1024 * 1024, "the last complete line counts the whole stream: " + all);
    }
}
