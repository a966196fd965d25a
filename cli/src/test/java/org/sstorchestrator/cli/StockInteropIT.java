package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * Drop-in interop with the stock script: ours installed as wsrep_sst_mariabackup through a
 * node's own basedir (docs/wire-protocol.md#a-cluster-on-one-machine), the stock /usr/bin script on the other node.
 */
class StockInteropIT {

    @Test
    void stockDonorToOurJoinerInstalledAsWsrepSstMariabackup() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("stock-donor");
        try {
            GaleraNode donor = cluster.addNode("mariabackup", false, List.of());
            GaleraNode joiner = cluster.addNode("mariabackup", true, List.of());
            joinAndCompare(cluster, donor, joiner);
            RunSummary j = ClusterFixture.history(joiner).get(0);
            assertEquals("joiner", j.role());
            assertEquals("completed", j.outcome());
            assertEquals(ClusterFixture.cleanRun(SstMachines.joiner()),
                    ClusterFixture.events(joiner, j.id()));
            // issue 22: a stock donor announces no versions; its backup's own info file gives both
            try (org.sstorchestrator.persistence.HistoryDatabase db =
                         org.sstorchestrator.persistence.HistoryDatabase.openForReading(joiner.historyDir())) {
                java.util.Map<String, String> a = new org.sstorchestrator.persistence.HistoryQueries(db).detail(j.id())
                        .attributes();
                assertEquals("the backup's xtrabackup_info", a.get("donor_versions_from"), a.toString());
                org.junit.jupiter.api.Assertions.assertTrue(a.get("donor_server_version").startsWith("10.11.")
                        && a.get("donor_backup_version").startsWith("10.11."), a.toString());
            }
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    @Test
    void ourDonorInstalledAsWsrepSstMariabackupToStockJoiner() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("stock-joiner");
        try {
            GaleraNode donor = cluster.addNode("mariabackup", true, List.of());
            GaleraNode joiner = cluster.addNode("mariabackup", false, List.of());
            joinAndCompare(cluster, donor, joiner);
            RunSummary d = ClusterFixture.history(donor).get(0);
            assertEquals("donor", d.role());
            assertEquals("completed", d.outcome());
            assertEquals(ClusterFixture.cleanRun(SstMachines.donor()),
                    ClusterFixture.events(donor, d.id()));
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    private static void joinAndCompare(LocalCluster cluster, GaleraNode donor, GaleraNode joiner) throws Exception {
        cluster.bootstrap(donor);
        LocalCluster.load(donor, 10);
        try {
            cluster.join(joiner, Duration.ofMinutes(4));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\nJOINER:\n" + ClusterFixture.errorLogTail(joiner)
                    + "\nDONOR:\n" + ClusterFixture.errorLogTail(donor), e);
        }
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));
    }
}
