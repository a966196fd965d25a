package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.RunSummary;

/**
 * Issue 9, item 5: a cluster whose every listener is on [::1], ours beside the stock script in
 * both directions: node 1 runs the stock script; node 2 is ours installed as
 * wsrep_sst_mariabackup and joins from node 1 (stock donor, our joiner); node 3 runs the stock
 * script and joins from node 2 (our donor, stock joiner). Skipped, saying why, where ::1
 * cannot be bound.
 */
class Ipv6ClusterIT {

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("::1", 0));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aClusterOnIpv6LoopbackJoinsThroughOursAndTheStockScriptBothWays() throws Exception {
        Assumptions.assumeTrue(ipv6Loopback(), "IPv6 is not available on this machine: ::1 cannot be bound");
        LocalCluster cluster = ClusterFixture.newCluster("ipv6", "::1");
        try {
            GaleraNode stock1 = cluster.addNode(LocalCluster.Spec.of("mariabackup", false));
            cluster.bootstrap(stock1);
            LocalCluster.load(stock1, 5);
            GaleraNode ours = cluster.addNode(LocalCluster.Spec.of("mariabackup", true)
                    .mysqld(List.of("wsrep_sst_donor=node1")));
            join(cluster, ours, stock1);
            GaleraNode stock3 = cluster.addNode(LocalCluster.Spec.of("mariabackup", false)
                    .mysqld(List.of("wsrep_sst_donor=node2")));
            join(cluster, stock3, ours);

            List<RunSummary> runs = ClusterFixture.history(ours);
            RunSummary joined = runs.stream().filter(r -> r.role().equals("joiner")).findFirst().orElseThrow();
            RunSummary donated = runs.stream().filter(r -> r.role().equals("donor")).findFirst().orElseThrow();
            assertEquals("completed", joined.outcome());
            assertEquals("completed", donated.outcome());
            assertEquals("[::1]:" + stock3.ports().sst(), donated.peer(), "our donor reached the stock joiner over IPv6");
            String log = java.nio.file.Files.readString(ours.errorLog());
            assertTrue(log.contains("mariabackup SST completed on joiner"), ClusterFixture.errorLogTail(ours));
            assertTrue(!log.contains("Listening on every interface"), "[::1] is this host's: listened on alone");
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    private static void join(LocalCluster cluster, GaleraNode joiner, GaleraNode donor) throws Exception {
        try {
            cluster.join(joiner, Duration.ofMinutes(4));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\nJOINER:\n" + ClusterFixture.errorLogTail(joiner)
                    + "\nDONOR:\n" + ClusterFixture.errorLogTail(donor), e);
        }
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));
    }
}
