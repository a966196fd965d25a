package org.sstorchestrator.harness;

/**
 * One joiner's SST under one profile, as measured. {@code dataSeconds} is the data stage (null
 * when it could not be told); {@code streamBytes} (the backup stream's size over
 * {@code dataSeconds}) and the RSS peaks are ours only: null for the stock script, which keeps
 * no history and runs no JVM.
 */
record Round(String method, String profile, BenchOptions.Size size, long tableBytes, int round, double seconds,
             boolean checksumOk, double cpuJoinerSeconds, double cpuDonorSeconds, Double dataSeconds, Long streamBytes,
             Long rssJoinerKb, Long rssDonorKb) {

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
