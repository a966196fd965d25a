package org.sstorchestrator.persistence;

/**
 * One run of one node in the cluster's SST history (issue 21): a row of the table [sst]
 * cluster-history names, as migrations/…/db/cluster declares it. Times are epoch ms (UTC).
 * {@code stageMs} is "stage=ms stage=ms ..." in the order the stages ran; {@code nodeName},
 * {@code nodeAddress} and {@code serverVersion} are the publishing server's answers.
 */
public record ClusterRow(String runId, String role, String nodeName, String nodeAddress, String datadir, String peer,
                         String peerRunId, String method, String version, String serverVersion, String backupVersion,
                         long startedMs, Long endedMs, String outcome, Integer exitCode, String exitMeaning,
                         String lastStage, long bytes, String stageMs, String wire, String error, long publishedMs) {

    public Long durationMs() {
        return endedMs == null ? null : endedMs - startedMs;
    }

    /** The same row as the server at {@code node} publishes it. */
    public ClusterRow on(ClusterStore.Server node, long atMs) {
        return new ClusterRow(runId, role, node.name(), node.address(), datadir, peer, peerRunId, method, version,
                node.version(), backupVersion, startedMs, endedMs, outcome, exitCode, exitMeaning, lastStage, bytes,
                stageMs, wire, error, atMs);
    }
}
