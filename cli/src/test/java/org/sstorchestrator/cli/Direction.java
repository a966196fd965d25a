package org.sstorchestrator.cli;

import org.sstorchestrator.harness.GaleraNode;

/**
 * The two directions of an interop IT: ours (installed as wsrep_sst_mariabackup) on one node,
 * the stock script on the other. An interop IT is written once, parameterized over this, so
 * both directions run the same checks; {@link #toString()} names the direction in the test's
 * display name and in its failure messages.
 */
enum Direction {
    STOCK_DONOR_OUR_JOINER("stock donor, our joiner", true),
    OUR_DONOR_STOCK_JOINER("our donor, stock joiner", false);

    private final String label;
    private final boolean oursJoins;

    Direction(String label, boolean oursJoins) {
        this.label = label;
        this.oursJoins = oursJoins;
    }

    boolean oursJoins() {
        return oursJoins;
    }

    boolean oursDonates() {
        return !oursJoins;
    }

    /** The role our run has: what its history's summary says. */
    String ourRole() {
        return oursJoins ? "joiner" : "donor";
    }

    /** Which of the two nodes runs ours. */
    GaleraNode ours(GaleraNode donor, GaleraNode joiner) {
        return oursJoins ? joiner : donor;
    }

    /** Names a cluster's directory after what the test does and this direction ({@code tls} → tls-stock-donor). */
    String cluster(String what) {
        return (what.isEmpty() ? "" : what + "-") + (oursJoins ? "stock-donor" : "stock-joiner");
    }

    @Override
    public String toString() {
        return label;
    }
}
