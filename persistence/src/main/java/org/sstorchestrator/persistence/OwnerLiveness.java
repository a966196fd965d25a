package org.sstorchestrator.persistence;

import java.util.Optional;

/**
 * Whether the process that owns a run is still that process. A pid alone is not enough: after
 * a crash the pid may be reused, so the owner's start time must match too (promise P9).
 */
public final class OwnerLiveness {

    /** Start instants come from /proc in clock ticks; allow for rounding. */
    private static final long START_TOLERANCE_MS = 1_000;

    private OwnerLiveness() {
    }

    public static boolean isAlive(long pid, Long startedMs) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (startedMs == null) {
            return true;
        }
        return handle.get().info().startInstant()
                .map(start -> Math.abs(start.toEpochMilli() - startedMs) <= START_TOLERANCE_MS)
                .orElse(true);
    }

    public static Long startOf(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(null);
    }
}
