package org.sstorchestrator.states.donor;

/** Given by {@link SendMagic}: what the backup will roughly stream (sent as {@code total}), null on IST. */
public record Estimate(Long total) {
}
