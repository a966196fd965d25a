package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.RunSummary;

/**
 * Issue 8: every TLS and encryption mode of the stock script, wire-compatible both ways with
 * the stock script on the other node of a real cluster. One donor per direction serves a new
 * joiner per mode (the donor's my.cnf is rewritten between joins: its SST reads it afresh),
 * so eleven modes cost eleven joins, not eleven clusters. Ours is installed as
 * wsrep_sst_mariabackup on its node (sst-interface.md §8); each of our runs must have
 * recorded the protection it used: the TLS protocol, suite and peer certificate per transfer.
 * Then an IST under TLS (the donor bypasses the SST; transfer 1 alone, over TLS).
 */
class TlsStockInteropIT {

    @Test
    void aStockDonorToOurJoinerInEveryModeAndAnIstUnderTls() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("tls-stock-donor");
        try {
            TlsFixture tls = new TlsFixture(cluster.home().resolve("pki"));
            GaleraNode donor = cluster.addNode("mariabackup", false, List.of());
            String donorCnf = Files.readString(donor.cnf());
            cluster.bootstrap(donor);
            LocalCluster.load(donor, 5);
            for (TlsFixture.Mode mode : tls.modes()) {
                configure(donor, donorCnf, mode.donor());
                GaleraNode joiner = cluster.addNode("mariabackup", true, mode.joiner());
                join(cluster, donor, joiner, mode);
                RunSummary j = ClusterFixture.history(joiner).get(0);
                assertEquals("completed", j.outcome(), mode + ": " + j);
                assertEquals("joiner", j.role());
                assertRecorded(joiner.historyDir(), j.id(), mode, mode.joinerSeesDonorCertificate() ? "CN=" : "(no certificate)",
                        true);
                if (mode.name().equals("ssl-mode=VERIFY_IDENTITY")) {
                    istUnderTls(cluster, donor, joiner, mode, true);
                }
                leave(cluster, joiner);
            }
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    @Test
    void ourDonorToAStockJoinerInEveryModeAndAnIstUnderTls() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("tls-stock-joiner");
        try {
            TlsFixture tls = new TlsFixture(cluster.home().resolve("pki"));
            GaleraNode donor = cluster.addNode("mariabackup", true, List.of());
            String donorCnf = Files.readString(donor.cnf());
            cluster.bootstrap(donor);
            LocalCluster.load(donor, 5);
            for (TlsFixture.Mode mode : tls.modes()) {
                configure(donor, donorCnf, mode.donor());
                GaleraNode joiner = cluster.addNode("mariabackup", false, mode.joiner());
                join(cluster, donor, joiner, mode);
                RunSummary d = ClusterFixture.history(donor).get(0);
                assertEquals("completed", d.outcome(), mode + ": " + d);
                assertEquals("donor", d.role());
                assertEquals(ClusterFixture.cleanRun("preflight", "send_magic", "stream_backup", "cleanup", "report_done"),
                        ClusterFixture.events(donor, d.id()), mode.toString());
                assertRecorded(donor.historyDir(), d.id(), mode, "CN=", true);
                if (mode.name().equals("ssl-mode=VERIFY_IDENTITY")) {
                    istUnderTls(cluster, donor, joiner, mode, false);
                }
                leave(cluster, joiner);
            }
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    /** The donor's SST reads its my.cnf at each donation: the mode's lines replace the last one's. */
    static void configure(GaleraNode node, String base, List<String> lines) throws Exception {
        List<String> all = new ArrayList<>(base.lines().toList());
        all.addAll(lines);
        Files.write(node.cnf(), all);
    }

    private static void join(LocalCluster cluster, GaleraNode donor, GaleraNode joiner, TlsFixture.Mode mode)
            throws Exception {
        try {
            cluster.join(joiner, Duration.ofMinutes(3));
        } catch (IllegalStateException e) {
            throw new AssertionError(mode + ": " + e.getMessage() + "\nJOINER:\n" + ClusterFixture.errorLogTail(joiner)
                    + "\nDONOR:\n" + ClusterFixture.errorLogTail(donor), e);
        }
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"), mode.toString());
    }

    /** Under TLS both transfers of our run name the protocol, the suite, the peer and its fingerprint. */
    static void assertRecorded(Path history, String runId, TlsFixture.Mode mode, String peer, boolean backup) {
        Map<String, String> a = TlsFixture.attributes(history, runId);
        assertTrue(a.getOrDefault("security", "").startsWith(mode.expectedWire()), mode + ": " + a);
        // TLS's crypto is AWS-LC's where the build ships it (x86-64), in a JVM without C2; the JDK's needs C2
        if (mode.tls() && TlsFixture.awsLcShipped()) {
            assertTrue(a.getOrDefault("tls.crypto", "").startsWith("AWS-LC (Amazon"), mode + ": " + a);
            assertEquals("C1", a.get("compilers"), mode + ": " + a);
        } else {
            assertTrue(!mode.tls() || a.getOrDefault("tls.crypto", "").startsWith("the JDK's"), mode + ": " + a);
            assertEquals("C1, and C2 for the JDK's crypto", a.get("compilers"), mode + ": " + a);
        }
        List<String> transfers = backup ? List.of("tls.magic", "tls.backup") : List.of("tls.magic");
        for (String t : transfers) {
            if (mode.tls()) {
                String s = a.getOrDefault(t, "");
                assertTrue(s.contains(" TLSv1.") && s.contains(" TLS_") && s.contains("; peer ") && s.contains(peer)
                        && (s.contains(" SHA-256 ") || peer.equals("(no certificate)")), mode + " " + t + ": " + a);
            } else {
                assertTrue(!a.containsKey(t), mode + ": no TLS session with encrypt=1: " + a);
            }
        }
    }

    /**
     * A joiner that left and comes back within the gcache gets IST: the donor bypasses the SST
     * and only transfer 1 is sent, under TLS like the rest.
     */
    private static void istUnderTls(LocalCluster cluster, GaleraNode donor, GaleraNode joiner, TlsFixture.Mode mode,
                                    boolean oursJoins) throws Exception {
        joiner.stop();
        donor.sql("INSERT INTO sbtest.t (k, pad) SELECT seq, 'while away' FROM sbtest.seq_1_to_300");
        join(cluster, donor, joiner, mode);
        GaleraNode ours = oursJoins ? joiner : donor;
        RunSummary r = ClusterFixture.history(ours).get(0);
        assertEquals("completed", r.outcome(), "IST: " + r);
        assertEquals(oursJoins ? ClusterFixture.cleanRun("preflight", "listen", "receive_magic:ist", "cleanup",
                "report_position") : ClusterFixture.cleanRun("preflight", "send_magic:ist", "cleanup", "report_done"),
                ClusterFixture.events(ours, r.id()));
        assertRecorded(ours.historyDir(), r.id(), mode, "CN=node.sst.test", false); // VERIFY_IDENTITY: both verified
    }

    /** A joiner is stopped and its directory deleted once judged; its runs go to the ledger first. */
    private static void leave(LocalCluster cluster, GaleraNode joiner) throws Exception {
        joiner.stop();
        TransitionLedger.record(TlsStockInteropIT.class, joiner.historyDir().getParent());
        cluster.discard(joiner);
    }
}
