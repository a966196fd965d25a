package org.sstorchestrator.cli.cyclefixture.a;

import org.sstorchestrator.cli.cyclefixture.b.UsesA;

/** Half of a deliberate package cycle: proves {@code PackageCyclesTest}'s check can fail. */
public final class UsesB {
    UsesA other;
}
