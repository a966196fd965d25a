package org.sstorchestrator.states.joiner;

/**
 * Given as the wipe starts ({@link WipeEarly}, {@link WipeDatadir}), or by a resumed run whose
 * history shows it: from here on {@code .sst} may hold the only copy of the data.
 */
public record WipeBegan() {
}
