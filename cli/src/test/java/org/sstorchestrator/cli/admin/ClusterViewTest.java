package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.cli.Golden;
import org.sstorchestrator.cli.cluster.ClusterFixtures;
import org.sstorchestrator.cli.cluster.ClusterSst;

/** history --cluster and inspect --cluster, on rows as three nodes publish them (the real cluster: ClusterHistoryIT). */
class ClusterViewTest {

    @BeforeAll
    static void utc() {
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    private static List<ClusterSst> ssts() {
        return ClusterSst.join(ClusterFixtures.rows());
    }

    @Test
    void historyClusterIsOneLinePerSstWithBothSides() throws IOException {
        Golden.assertMatches("history-cluster.txt", ClusterView.table(ssts()));
    }

    @Test
    void historyClusterJsonHasBothRowsOfEachSst() throws IOException {
        Golden.assertMatches("history-cluster.json", ClusterView.json(ssts()) + "\n");
    }

    @Test
    void inspectClusterShowsBothSidesOfTheFailedSst() throws IOException {
        Golden.assertMatches("inspect-cluster.txt", ClusterView.text(ssts().get(2)));
    }

    @Test
    void inspectClusterJsonOfAnSstFromAStockDonor() throws IOException {
        Golden.assertMatches("inspect-cluster.json", Json.write(ClusterView.toMap(ssts().get(1))) + "\n");
    }
}
