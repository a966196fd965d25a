package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * Drop-in interop with the stock script: ours installed as wsrep_sst_mariabackup through a
 * node's own basedir (docs/wire-protocol.md#a-cluster-on-one-machine), the stock /usr/bin script
 * on the other node, in both directions.
 */
class StockInteropIT {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void oursInstalledAsWsrepSstMariabackupCompletesAnSstWithTheStockScriptOnTheOtherNode(Direction dir)
            throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster(dir.cluster(""));
        try {
            GaleraNode donor = cluster.addNode("mariabackup", dir.oursDonates(), List.of());
            GaleraNode joiner = cluster.addNode("mariabackup", dir.oursJoins(), List.of());
            cluster.bootstrap(donor);
            LocalCluster.load(donor, 10);
            ClusterFixture.joinAndCompare(cluster, joiner, donor, Duration.ofMinutes(4), dir);
            GaleraNode ours = dir.ours(donor, joiner);
            RunSummary r = ClusterFixture.history(ours).get(0);
            assertEquals(dir.ourRole(), r.role(), dir.toString());
            assertEquals("completed", r.outcome(), dir + ": " + r);
            assertEquals(ClusterFixture.cleanRun(dir.oursJoins() ? SstMachines.joiner() : SstMachines.donor()),
                    ClusterFixture.events(ours, r.id()), dir.toString());
            if (dir.oursJoins()) {
                // issue 22: a stock donor announces no versions; its backup's own info file gives both
                try (HistoryDatabase db = HistoryDatabase.openForReading(joiner.historyDir())) {
                    Map<String, String> a = new HistoryQueries(db).detail(r.id()).attributes();
                    assertEquals("the backup's xtrabackup_info", a.get("donor_versions_from"), dir + ": " + a);
                    assertTrue(a.get("donor_server_version").startsWith("10.11.")
                            && a.get("donor_backup_version").startsWith("10.11."), dir + ": " + a);
                }
            }
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }
}
