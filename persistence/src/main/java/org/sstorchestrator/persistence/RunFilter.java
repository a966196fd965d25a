package org.sstorchestrator.persistence;

/** What {@code sst-admin history} asks for; null fields do not filter. */
public record RunFilter(String role, String outcome, Long sinceMs, int limit) {

    public static RunFilter latest(int limit) {
        return new RunFilter(null, null, null, limit);
    }
}
