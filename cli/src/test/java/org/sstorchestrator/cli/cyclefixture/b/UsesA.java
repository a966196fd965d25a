package org.sstorchestrator.cli.cyclefixture.b;

import org.sstorchestrator.cli.cyclefixture.a.UsesB;

/** The other half of the deliberate cycle (see {@code UsesB}). */
public final class UsesA {
    UsesB other;
}
