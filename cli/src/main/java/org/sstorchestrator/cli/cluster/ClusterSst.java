package org.sstorchestrator.cli.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sstorchestrator.persistence.ClusterRow;

/**
 * One SST as the cluster's history tells it: the donor's row and the joiner's, joined by the
 * joiner's peer_run_id (the donor's run id, which our donor sends in its info file). Either
 * side may be missing: a stock peer writes no row, and a joiner's row waits in its node's
 * outbox until that node publishes it.
 */
public record ClusterSst(ClusterRow donor, ClusterRow joiner) {

    /** The run ids whose rows {@link #join} needs to pair {@code rows}: their own and their peers'. */
    public static Set<String> idsToPair(Collection<ClusterRow> rows) {
        Set<String> ids = new HashSet<>();
        for (ClusterRow r : rows) {
            ids.add(r.runId());
            if (r.peerRunId() != null) {
                ids.add(r.peerRunId());
            }
        }
        return ids;
    }

    /** Pairs rows into SSTs, newest first. */
    public static List<ClusterSst> join(Collection<ClusterRow> rows) {
        Map<String, ClusterRow> donors = new HashMap<>();
        Map<String, ClusterRow> unique = new java.util.LinkedHashMap<>();
        rows.forEach(r -> unique.put(r.runId(), r));
        unique.values().stream().filter(r -> r.role().equals("donor")).forEach(r -> donors.put(r.runId(), r));
        List<ClusterSst> out = new ArrayList<>();
        Set<String> paired = new HashSet<>();
        for (ClusterRow r : unique.values()) {
            if (r.role().equals("joiner")) {
                ClusterRow d = r.peerRunId() == null ? null : donors.get(r.peerRunId());
                if (d != null && paired.add(d.runId())) {
                    out.add(new ClusterSst(d, r));
                } else {
                    out.add(new ClusterSst(null, r));
                }
            }
        }
        donors.values().stream().filter(d -> !paired.contains(d.runId())).forEach(d -> out.add(new ClusterSst(d, null)));
        out.sort(Comparator.comparingLong(ClusterSst::startedMs).reversed()
                .thenComparing(s -> s.any().runId()));
        return out;
    }

    /** A side that is there (the joiner's when both are). */
    public ClusterRow any() {
        return joiner != null ? joiner : donor;
    }

    /** The earlier start of the two: the donor starts after the joiner has asked for it. */
    public long startedMs() {
        return donor == null ? joiner.startedMs() : joiner == null ? donor.startedMs()
                : Math.min(donor.startedMs(), joiner.startedMs());
    }

    /** From the joiner's request to the later end; null while a side has no end. */
    public Long durationMs() {
        Long end = null;
        for (ClusterRow r : new ClusterRow[] {donor, joiner}) {
            if (r != null) {
                if (r.endedMs() == null) {
                    return null;
                }
                end = end == null ? r.endedMs() : Math.max(end, r.endedMs());
            }
        }
        return end - startedMs();
    }

    /**
     * completed when every side that wrote completed; else failed (or interrupted) with the
     * side and stage where it did: "failed (joiner: prepare)".
     */
    public String outcome() {
        for (ClusterRow r : new ClusterRow[] {joiner, donor}) {
            if (r != null && r.outcome().equals("failed")) {
                return "failed (" + r.role() + ": " + r.lastStage() + ")";
            }
        }
        for (ClusterRow r : new ClusterRow[] {joiner, donor}) {
            if (r != null && !r.outcome().equals("completed")) {
                return r.outcome() + " (" + r.role() + ": " + r.lastStage() + ")";
            }
        }
        return "completed";
    }

    /** The bytes the joiner received, else what the donor sent. */
    public long bytes() {
        return joiner != null ? joiner.bytes() : donor.bytes();
    }

    /** A missing donor: our joiner heard no run id from it (a stock donor), or its row is not published yet. */
    public String donorLabel() {
        if (donor != null) {
            return donor.nodeName();
        }
        return host(joiner.peer()) + (joiner.peerRunId() == null ? " (stock)" : " (no row)");
    }

    /** A missing joiner: its row waits in its node's outbox, or it ran the stock script. */
    public String joinerLabel() {
        return joiner != null ? joiner.nodeName() : host(donor.peer()) + " (no row)";
    }

    private static String host(String peer) {
        return peer == null ? "?" : peer;
    }
}
