package org.sstorchestrator.persistence;

/**
 * One line of {@code sst-admin history}. {@code outcome} is completed, failed, running, or
 * interrupted (no end was recorded and the owner is gone).
 */
public record RunSummary(String id, String role, String peer, long startedMs, Long durationMs, String outcome,
                         String lastStage, long bytes, Integer exitCode) {
}
