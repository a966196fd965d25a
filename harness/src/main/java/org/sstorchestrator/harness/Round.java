package org.sstorchestrator.harness;

/**
 * One joiner's SST under one profile, as measured. {@code dataSeconds} is the data stage (null
 * when it could not be told); {@code streamBytes} (the backup stream's size, the payload) and
 * {@code wireBytes} (the same stream on the wire: after the compressor, before TLS's own
 * framing) and the RSS peaks are ours only: null for the stock script, which keeps no history
 * and runs no JVM. {@code wireSetup} is what the method says it did on the wire (ours: its
 * history; stock: its donor's logged pipeline), so a round shows that its profile took effect.
 */
record Round(String method, String profile, BenchOptions.Size size, long tableBytes, int round, double seconds,
             boolean checksumOk, double cpuJoinerSeconds, double cpuDonorSeconds, Double dataSeconds, Long streamBytes,
             Long wireBytes, Long rssJoinerKb, Long rssDonorKb, String wireSetup) {

    static final double GB = 1024.0 * 1024 * 1024;
    static final double MB = 1024.0 * 1024;

    /** The size an SST moves here: the donor's sbtest/t.ibd, in GB. */
    double tableGb() {
        return tableBytes / GB;
    }

    double cpuJoinerPerGb() {
        return cpuJoinerSeconds / tableGb();
    }

    double cpuDonorPerGb() {
        return cpuDonorSeconds / tableGb();
    }
}
