package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.persistence.RunSummary;

/**
 * Issue 21 on a real 3-node cluster: every SST's record reaches the Galera-replicated table
 * [sst] cluster-history names, and {@code sst-admin history --cluster} on each node shows
 * each SST once with both sides. Four SSTs in three directions, the nodes reused:
 * <ol>
 * <li>node1 → node2, ours on both sides;</li>
 * <li>node1 → node3 with the stock script on node1 (node3 asks for method mariabackup and runs
 * ours installed as wsrep_sst_mariabackup);</li>
 * <li>node3 → node2, whose prepare fails on purpose (node2's mariadb-backup stand-in);</li>
 * <li>node3 → node2 again, which brings node2 back.</li>
 * </ol>
 * node3's SST user (sst3) lacks the grant: its SSTs complete all the same, its rows wait, and
 * arrive once doctor's GRANT is given and {@code sst-admin publish} runs.
 */
class ClusterHistoryIT {

    private static final String TABLE = "sst_orchestrator.history";
    private static final String SST3 = "sst3";
    private static final String SST3_PASSWORD = "p4ss:w0rd@3";

    /** node2's mariadb-backup: the real one, but --prepare fails while the flag file exists. */
    private static String prepareFailsWhileFlagged(Path flag) {
        return "#!/bin/sh\n"
                + "if [ -e '" + flag + "' ]; then\n"
                + "  for a in \"$@\"; do\n"
                + "    if [ \"$a\" = \"--prepare\" ]; then echo 'simulated: --prepare failed' >&2; exit 1; fi\n"
                + "  done\n"
                + "fi\n"
                + "exec /usr/bin/mariadb-backup \"$@\"\n";
    }

    /** Everything sst-admin printed in this test: no password may be in it. */
    private static final StringBuilder PRINTED = new StringBuilder();

    private static String[] admin(GaleraNode node, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--defaults-file");
        all.add(node.cnf().toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(all.toArray(String[]::new));
        PRINTED.append(out).append(err);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static void join(LocalCluster cluster, GaleraNode node, GaleraNode... others) throws Exception {
        try {
            cluster.join(node, Duration.ofMinutes(4));
        } catch (IllegalStateException e) {
            StringBuilder logs = new StringBuilder(e.getMessage());
            for (GaleraNode n : others) {
                logs.append("\n").append(n.name()).append(":\n").append(ClusterFixture.errorLogTail(n));
            }
            throw new AssertionError(logs + "\n" + node.name() + ":\n" + ClusterFixture.errorLogTail(node), e);
        }
    }

    /** The node's newest run once ended: a donor's process goes on a moment after mysqld has its answer. */
    private static RunSummary ended(GaleraNode node) throws InterruptedException {
        return ClusterFixture.awaitEnd(node, Duration.ofMinutes(1));
    }

    @Test
    void everyNodeListsEverySstWithBothSidesOnceTheirNodesHavePublished() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("cluster-history");
        try {
            List<String> sst = List.of("cluster-history=" + TABLE);
            GaleraNode node1 = cluster.addNode(LocalCluster.Spec.of("mariabackup_sm", false).sst(sst));
            Path failPrepare = cluster.home().resolve("fail-prepare");
            GaleraNode node2 = cluster.addNode(new LocalCluster.Spec("mariabackup_sm", false, List.of(),
                    List.of("wsrep_sst_donor=node3,node1"), sst, Map.of(),
                    Map.of("mariadb-backup", prepareFailsWhileFlagged(failPrepare)), List.of()));
            GaleraNode node3 = cluster.addNode(LocalCluster.Spec.of("mariabackup", true).sst(sst)
                    .mysqld(List.of("wsrep_sst_donor=node1", "wsrep_sst_auth=" + SST3 + ":" + SST3_PASSWORD)));
            cluster.bootstrap(node1);
            node1.sql("GRANT " + org.sstorchestrator.states.config.ClusterHistoryTable.PRIVILEGES
                    + " ON sst_orchestrator.* TO '" + LocalCluster.SST_USER + "'@'localhost'");
            node1.sql("CREATE USER '" + SST3 + "'@'localhost' IDENTIFIED BY '" + SST3_PASSWORD + "'");
            node1.sql("GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO '" + SST3 + "'@'localhost'");
            LocalCluster.load(node1, 10);

            // 1. node1 → node2: the donor writes its row at its end; the joiner's waits until node2 publishes
            join(cluster, node2, node1);
            String d1 = ended(node1).id();
            String j1 = ended(node2).id();
            String[] p = admin(node2, "publish");
            assertEquals("0", p[0], p[2]);
            assertTrue(p[1].startsWith("published 1 run(s) to " + TABLE), p[1]);
            assertEquals("0", admin(node2, "publish")[0]);
            assertTrue(admin(node2, "publish")[1].startsWith("published 0 run(s)"), "publishing twice writes nothing new");

            // 2. the stock script on node1 → our joiner on node3, whose SST user lacks the grant
            join(cluster, node3, node1, node2);
            String j2 = ended(node3).id();
            String[] refused = admin(node3, "publish");
            assertEquals("1", refused[0], refused[1]);
            assertTrue(refused[2].contains("(missing_grant)") && refused[2].contains("GRANT SELECT, INSERT, UPDATE, CREATE,"
                    + " ALTER ON sst_orchestrator.* TO 'sst3'@'localhost'"), refused[2]);

            // 3. node3 → node2, the joiner's prepare failing on purpose: node3's donor completes without its grant
            node2.stop();
            Files.delete(node2.datadir().resolve("grastate.dat")); // no position: node2 must ask for a full SST
            Files.createFile(failPrepare);
            node2.start(false);
            RunSummary failed = ClusterFixture.awaitFailedJoin(node2, Duration.ofMinutes(3));
            assertEquals("failed", failed.outcome());
            assertEquals("prepare", failed.lastStage());
            RunSummary d3 = ended(node3);
            assertEquals("donor", d3.role());
            assertEquals("completed", d3.outcome(), "a donor whose history write fails completes its SST");
            assertTrue(lastFailure(node3).contains("missing_grant"), lastFailure(node3));

            // 4. node3 → node2 again: node2 is back
            Files.delete(failPrepare);
            join(cluster, node2, node1, node3);
            String d4 = ended(node3).id();
            String j4 = ended(node2).id();
            String[] back = admin(node2, "publish");
            assertEquals("0", back[0], back[2]);
            assertTrue(back[1].startsWith("published 2 run(s)"), "node2's failed joiner run and its last one: " + back[1]);

            String[] doctor = admin(node3, "doctor");
            String grant = doctor[1].lines().filter(l -> l.contains("remedy: GRANT")).findFirst()
                    .orElseThrow(() -> new AssertionError("doctor names the missing grant:\n" + doctor[1]))
                    .replaceAll(".*remedy: (GRANT [^;]*);.*", "$1");
            node1.sql(grant);
            String[] published = admin(node3, "publish");
            assertEquals("0", published[0], published[2]);
            assertTrue(published[1].startsWith("published 3 run(s)"), "node3's joiner run and two donor runs: " + published[1]);

            List<String> ours = new ArrayList<>();
            for (GaleraNode n : List.of(node1, node2, node3)) {
                ClusterFixture.history(n).forEach(r -> ours.add(r.id()));
            }
            for (GaleraNode n : List.of(node1, node2, node3)) {
                String[] h = admin(n, "history", "--cluster");
                assertEquals("0", h[0], h[2]);
                List<String> lines = h[1].lines().toList();
                assertLine(lines, n, "node1", "node2", "completed", d1, j1);
                assertLine(lines, n, "127.0.0.1", "node3", "completed", null, j2);
                assertTrue(line(lines, null, j2).contains("(stock)"), "the stock donor wrote no row:\n" + h[1]);
                assertLine(lines, n, "node3", "node2", "failed (joiner: prepare)", d3.id(), failed.id());
                assertLine(lines, n, "node3", "node2", "completed", d4, j4);
                for (String id : ours) {
                    assertTrue(h[1].contains(id.substring(0, 8)), n.name() + " lists run " + id + ":\n" + h[1]);
                }
                String[] json = admin(n, "history", "--cluster", "--json");
                assertTrue(json[1].contains("\"peer_run_id\": \"" + d3.id() + "\""), json[1]);
            }
            String[] inspect = admin(node1, "inspect", "--cluster", failed.id().substring(0, 8));
            assertEquals("0", inspect[0], inspect[2]);
            assertTrue(inspect[1].contains("outcome    failed (exit 22, EINVAL") && inspect[1].contains("error      prepare: "),
                    "the joiner's side, with its error line:\n" + inspect[1]);
            assertTrue(inspect[1].contains("run        " + d3.id()), "the donor's side beside it:\n" + inspect[1]);
            for (GaleraNode n : List.of(node1, node2, node3)) {
                Files.readAllLines(n.errorLog()).stream().filter(l -> l.startsWith("WSREP_SST:")) // our lines there
                        .forEach(l -> PRINTED.append(l).append('\n'));
                PRINTED.append(node1.sql("SELECT * FROM " + TABLE + " WHERE node_name = '" + n.name() + "'"));
            }
            for (String secret : List.of(LocalCluster.SST_PASSWORD, SST3_PASSWORD)) {
                assertTrue(!PRINTED.toString().contains(secret), "a password in sst-admin's output, our log lines or the table");
            }
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    private static String lastFailure(GaleraNode node) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(node.historyDir())) {
            return new org.sstorchestrator.persistence.ClusterOutbox(db, System::currentTimeMillis).lastFailure(TABLE)
                    .map(f -> f.reason() + ": " + f.detail()).orElse("(no failure recorded)");
        }
    }

    private static String line(List<String> lines, String donorRun, String joinerRun) {
        return lines.stream().filter(l -> (donorRun == null || l.contains(donorRun.substring(0, 8)))
                && l.contains(joinerRun.substring(0, 8))).findFirst().orElse("");
    }

    private static void assertLine(List<String> lines, GaleraNode on, String donor, String joiner, String outcome,
                                   String donorRun, String joinerRun) {
        String l = line(lines, donorRun, joinerRun);
        assertTrue(l.contains(donor) && l.contains(joiner) && l.contains(outcome), "history --cluster on " + on.name()
                + ": one line joins " + donor + " (" + donorRun + ") and " + joiner + " (" + joinerRun + "), " + outcome
                + ":\n" + String.join("\n", lines));
    }
}
