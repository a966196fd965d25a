package org.sstorchestrator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.persistence.ClusterRow;

class ClusterSstTest {

    private static List<ClusterSst> ssts() {
        return ClusterSst.join(ClusterFixtures.rows());
    }

    @Test
    void aJoinerIsPairedWithTheDonorWhoseRunIdItHeardAndTheSstsComeNewestFirst() {
        List<ClusterSst> s = ssts();
        assertEquals(4, s.size());
        assertEquals(ClusterFixtures.D4, s.get(0).donor().runId());
        assertNull(s.get(0).joiner(), "node1's last joiner has not published its row yet");
        assertEquals(ClusterFixtures.J3, s.get(1).joiner().runId());
        assertNull(s.get(1).donor(), "a stock donor writes no row");
        assertEquals(ClusterFixtures.D2, s.get(2).donor().runId());
        assertEquals(ClusterFixtures.J2, s.get(2).joiner().runId());
        assertEquals(ClusterFixtures.D1, s.get(3).donor().runId());
        assertEquals(ClusterFixtures.J1, s.get(3).joiner().runId());
    }

    @Test
    void theSstFailedWhereEitherSideFailedAndSaysWhichAndWhere() {
        List<ClusterSst> s = ssts();
        assertEquals("failed (joiner: prepare)", s.get(2).outcome());
        assertEquals("completed", s.get(3).outcome());
    }

    @Test
    void aMissingSideIsNamedByItsAddressAndWhyItIsMissing() {
        List<ClusterSst> s = ssts();
        assertEquals("127.0.0.1:4444 (no row)", s.get(0).joinerLabel());
        assertEquals("127.0.0.1:41400 (stock)", s.get(1).donorLabel());
    }

    @Test
    void theSstRunsFromTheJoinersStartToTheLaterEnd() {
        ClusterSst first = ssts().get(3);
        assertEquals(ClusterFixtures.T0, first.startedMs());
        assertEquals(12_400L, first.durationMs());
        assertEquals(104_857_600L, first.bytes(), "what the joiner received");
    }

    @Test
    void pairingAskForEveryRowsOwnAndPeerRunIds() {
        List<ClusterRow> joiners = ClusterFixtures.rows().stream().filter(r -> r.role().equals("joiner")).toList();
        assertEquals(Set.of(ClusterFixtures.J1, ClusterFixtures.D1, ClusterFixtures.J2, ClusterFixtures.D2,
                ClusterFixtures.J3), ClusterSst.idsToPair(joiners));
    }

    @Test
    void aRowReadTwiceIsOneSide() {
        List<ClusterRow> twice = new java.util.ArrayList<>(ClusterFixtures.rows());
        twice.addAll(ClusterFixtures.rows());
        assertEquals(4, ClusterSst.join(twice).size());
    }
}
