package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.RunSummary;

/**
 * Issue 8: every TLS and encryption mode of the stock script, wire-compatible both ways with
 * the stock script on the other node of a real cluster. One donor per direction serves a new
 * joiner per mode (the donor's my.cnf is rewritten between joins: its SST reads it afresh),
 * so eleven modes cost eleven joins, not eleven clusters. Ours is installed as
 * wsrep_sst_mariabackup on its node (docs/wire-protocol.md#a-cluster-on-one-machine); each of our runs must have
 * recorded the protection it used: the TLS protocol, suite and peer certificate per transfer.
 * Then an IST under TLS (the donor bypasses the SST; transfer 1 alone, over TLS).
 */
class TlsStockInteropIT {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void everyModeWithTheStockScriptOnTheOtherNodeAndAnIstUnderTls(Direction dir) throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster(dir.cluster("tls"));
        try {
            TlsFixture tls = new TlsFixture(cluster.home().resolve("pki"));
            GaleraNode donor = cluster.addNode("mariabackup", dir.oursDonates(), List.of());
            String donorCnf = Files.readString(donor.cnf());
            cluster.bootstrap(donor);
            LocalCluster.load(donor, 5);
            for (TlsFixture.Mode mode : tls.modes()) {
                configure(donor, donorCnf, mode.donor());
                GaleraNode joiner = cluster.addNode("mariabackup", dir.oursJoins(), mode.joiner());
                join(cluster, donor, joiner, mode, dir);
                GaleraNode ours = dir.ours(donor, joiner);
                RunSummary r = ClusterFixture.history(ours).get(0);
                assertEquals("completed", r.outcome(), dir + ", " + mode + ": " + r);
                assertEquals(dir.ourRole(), r.role(), dir + ", " + mode);
                if (dir.oursDonates()) {
                    assertEquals(ClusterFixture.cleanRun("preflight", "send_magic", "stream_backup", "cleanup",
                            "report_done"), ClusterFixture.events(donor, r.id()), dir + ", " + mode);
                }
                // our donor always sees the stock joiner's certificate; our joiner, the donor's in some modes
                String peer = dir.oursJoins() && !mode.joinerSeesDonorCertificate() ? "(no certificate)" : "CN=";
                assertRecorded(ours.historyDir(), r.id(), mode, dir + ", " + mode, peer, true);
                if (mode.name().equals("ssl-mode=VERIFY_IDENTITY")) {
                    istUnderTls(cluster, donor, joiner, mode, dir);
                }
                leave(cluster, joiner);
            }
            configure(donor, donorCnf, List.of());
            aSimulatedMissingCertificateFailsTheJoinerClosed(cluster, tls, dir);
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

    /**
     * A join in {@code mode}, the data checked; and, issue 19, the stock script's decision lines
     * in both nodes' error logs, the same whichever script printed them: each expectation is
     * met by the stock node in one direction and by ours in the other.
     */
    private static void join(LocalCluster cluster, GaleraNode donor, GaleraNode joiner, TlsFixture.Mode mode,
                             Direction dir) throws Exception {
        String who = dir + ", " + mode;
        long donorFrom = WsrepLines.mark(donor);
        long joinerFrom = WsrepLines.mark(joiner);
        try {
            cluster.join(joiner, Duration.ofMinutes(3));
        } catch (IllegalStateException e) {
            throw new AssertionError(who + ": " + e.getMessage() + "\nJOINER:\n" + ClusterFixture.errorLogTail(joiner)
                    + "\nDONOR:\n" + ClusterFixture.errorLogTail(donor), e);
        }
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"), who);
        List<String> j = WsrepLines.since(joiner, joinerFrom);
        List<String> d = WsrepLines.since(donor, donorFrom);
        WsrepLines.assertHasAll(j, mode.stockLines(true, dir.oursDonates()), who + ", joiner");
        WsrepLines.assertHasAll(d, mode.stockLines(false, dir.oursJoins()), who + ", donor");
        if (j.stream().noneMatch(l -> l.contains("] 'xtrabackup_ist' received from donor"))) {
            WsrepLines.assertHasAll(j, List.of("mariabackup SST started on joiner", "Streaming with mbstream",
                    "Using socat as streamer", "Proceeding with SST", "Waiting for SST streaming to complete!",
                    "Preparing the backup at " + Pattern.quote(joiner.datadir() + "/.sst"),
                    "Moving the backup to " + Pattern.quote(joiner.datadir().toString()),
                    "Galera co-ords from donor: [0-9a-f-]{36}:[0-9]+ 0", "Total time on joiner: [0-9]+ seconds",
                    "mariabackup SST completed on joiner"), who + ", joiner");
            WsrepLines.assertHasAll(d, List.of("mariabackup SST started on donor", "Streaming with mbstream",
                    "Using socat as streamer", "Streaming GTID file before SST",
                    "Streaming the backup to joiner at 127\\.0\\.0\\.1:" + joiner.ports().sst(),
                    "mariabackup SST completed on donor"), who + ", donor");
        }
    }

    /**
     * Issue 19: MTR_SST_SIMULATE_NO_SSL_CERT in the joiner's environment, with ssl-mode=REQUIRED
     * and a certificate and key: the node fails closed with the stock script's line (MDEV-28233),
     * whether ours is the joiner or the stock script is ({@code dir}); nothing joins.
     */
    private static void aSimulatedMissingCertificateFailsTheJoinerClosed(LocalCluster cluster, TlsFixture tls,
                                                                        Direction dir) throws Exception {
        GaleraNode joiner = cluster.addNode(new LocalCluster.Spec("mariabackup", dir.oursJoins(), List.of(), List.of(),
                List.of("ssl-mode=REQUIRED", "ssl-cert=" + tls.cert, "ssl-key=" + tls.key),
                Map.of("MTR_SST_SIMULATE_NO_SSL_CERT", "1"), Map.of(), List.of()));
        joiner.start(false);
        if (dir.oursJoins()) {
            RunSummary r = ClusterFixture.awaitFailedJoin(joiner, Duration.ofMinutes(2));
            assertEquals(22, r.exitCode(), dir + ": " + r);
            assertEquals("preflight", r.lastStage(), dir.toString());
        } else if (!joiner.awaitExit(Duration.ofMinutes(2))) {
            joiner.kill(); // mariadbd 10.11 may hang in its own abort after a failed SST (ClusterFixture.awaitFailedJoin)
        }
        List<String> lines = WsrepLines.since(joiner, 0);
        WsrepLines.assertHas(lines, "INFO", "SSL configuration: CA='', CAPATH='', CERT='', KEY='', MODE='REQUIRED',"
                + " encrypt='0'", dir + ": the certificate and key treated as absent");
        WsrepLines.assertHas(lines, "ERROR", Pattern.quote("ssl-mode is set to 'REQUIRED', but no usable SSL certificate"
                + " and key were found. Cannot perform an encrypted transfer. Please configure ssl-cert and ssl-key, or set"
                + " ssl-mode to DISABLED."), dir + ": failed closed");
        // the stock script's exit trap is set after it took wsrep_sst.pid: a configuration it refuses ends without it
        assertTrue(lines.stream().noneMatch(l -> l.contains("Cleanup after exit with status")),
                dir + ":\n" + String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("Proceeding with SST")), dir + ": nothing was received");
        leave(cluster, joiner);
    }

    /** Under TLS both transfers of our run name the protocol, the suite, the peer and its fingerprint. */
    static void assertRecorded(Path history, String runId, TlsFixture.Mode mode, String peer, boolean backup) {
        assertRecorded(history, runId, mode, mode, peer, backup);
    }

    /** The same, {@code who} (the direction and the mode) heading every failure message. */
    private static void assertRecorded(Path history, String runId, TlsFixture.Mode mode, Object who, String peer,
                                       boolean backup) {
        Map<String, String> a = TlsFixture.attributes(history, runId);
        assertTrue(a.getOrDefault("security", "").startsWith(mode.expectedWire()), who + ": " + a);
        // TLS's crypto is AWS-LC's where the build ships it (x86-64), in a JVM without C2; the JDK's needs C2
        if (mode.tls() && TlsFixture.awsLcShipped()) {
            assertTrue(a.getOrDefault("tls.crypto", "").startsWith("AWS-LC (Amazon"), who + ": " + a);
            assertEquals("C1", a.get("compilers"), who + ": " + a);
        } else {
            assertTrue(!mode.tls() || a.getOrDefault("tls.crypto", "").startsWith("the JDK's"), who + ": " + a);
            assertEquals("C1, and C2 for the JDK's crypto", a.get("compilers"), who + ": " + a);
        }
        List<String> transfers = backup ? List.of("tls.magic", "tls.backup") : List.of("tls.magic");
        for (String t : transfers) {
            if (mode.tls()) {
                String s = a.getOrDefault(t, "");
                assertTrue(s.contains(" TLSv1.") && s.contains(" TLS_") && s.contains("; peer ") && s.contains(peer)
                        && (s.contains(" SHA-256 ") || peer.equals("(no certificate)")), who + " " + t + ": " + a);
                if (mode.name().startsWith("sockopt cipher")) { // issue 19: the suite sockopt's cipher list allows
                    assertTrue(s.contains(" TLSv1.2 " + TlsFixture.SOCKOPT_SUITE + ";"), who + " " + t + ": " + s);
                    assertTrue(a.getOrDefault("tls.sockopt", "").contains("cipher=" + TlsFixture.SOCKOPT_SUITE_OPENSSL),
                            who + ": " + a);
                }
            } else {
                assertTrue(!a.containsKey(t), who + ": no TLS session with encrypt=1: " + a);
            }
        }
    }

    /**
     * A joiner that left and comes back within the gcache gets IST: the donor bypasses the SST
     * and only transfer 1 is sent, under TLS like the rest.
     */
    private static void istUnderTls(LocalCluster cluster, GaleraNode donor, GaleraNode joiner, TlsFixture.Mode mode,
                                    Direction dir) throws Exception {
        String who = dir + ", " + mode + " IST";
        joiner.stop();
        donor.sql("INSERT INTO sbtest.t (k, pad) SELECT seq, 'while away' FROM sbtest.seq_1_to_300");
        long joinerFrom = WsrepLines.mark(joiner);
        long donorFrom = WsrepLines.mark(donor);
        join(cluster, donor, joiner, mode, dir);
        // issue 19: the IST lines tests grep for, the script's and Galera's own, whichever script runs where
        WsrepLines.assertHasAll(WsrepLines.since(joiner, joinerFrom), List.of("mariabackup SST started on joiner",
                "'xtrabackup_ist' received from donor: Running IST", "Galera co-ords from donor: [0-9a-f-]{36}:[0-9]+ 0",
                "mariabackup IST completed on joiner"), who + ", joiner");
        WsrepLines.assertHasAll(WsrepLines.since(donor, donorFrom), List.of("mariabackup IST started on donor",
                "Bypassing the SST for IST", "mariabackup IST completed on donor"), who + ", donor");
        String joinerLog = Files.readString(joiner.errorLog());
        assertTrue(joinerLog.substring((int) Math.min(joinerFrom, joinerLog.length())).contains("IST receiver addr using tcp://"),
                who + ": Galera's own IST line, as with the stock script");
        GaleraNode ours = dir.ours(donor, joiner);
        RunSummary r = ClusterFixture.history(ours).get(0);
        assertEquals("completed", r.outcome(), who + ": " + r);
        assertEquals(dir.oursJoins() ? ClusterFixture.cleanRun("preflight", "listen", "receive_magic:ist", "cleanup",
                "report_position") : ClusterFixture.cleanRun("preflight", "send_magic:ist", "cleanup", "report_done"),
                ClusterFixture.events(ours, r.id()), who);
        assertRecorded(ours.historyDir(), r.id(), mode, who, "CN=node.sst.test", false); // VERIFY_IDENTITY: both verified
    }

    /** A joiner is stopped and its directory deleted once judged; its runs go to the ledger first. */
    private static void leave(LocalCluster cluster, GaleraNode joiner) throws Exception {
        joiner.stop();
        TransitionLedger.record(TlsStockInteropIT.class, joiner.historyDir().getParent());
        cluster.discard(joiner);
    }
}
