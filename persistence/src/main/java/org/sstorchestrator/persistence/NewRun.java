package org.sstorchestrator.persistence;

/** The facts known when a run starts. {@code peer} may be null until the peer is known. */
public record NewRun(String id, String role, String datadir, String peer, long pid, Long pidStartedMs,
                     String toolVersion, long startedMs) {
}
