package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.sstorchestrator.persistence.RunDetail;

/**
 * One round of the benchmark for one method: a fresh joiner with an empty datadir (so a full
 * SST, never IST) joins the one donor; timed from the joiner's mariadbd start to Synced, with
 * the CPU both sides' SST process trees used, our JVMs' peak RSS, the data stage, and the
 * donor-vs-joiner checksum, which must be equal.
 */
final class JoinRound {

    private static final Duration JOIN_TIMEOUT = Duration.ofHours(1);
    /** A donor's SST may still be cleaning up when the joiner is Synced; it ends soon after. */
    private static final Duration SST_END_TIMEOUT = Duration.ofMinutes(5);

    private final LocalCluster cluster;
    private final GaleraNode donor;
    private final ChildCpu cpu;

    /** {@code timeline} is null unless asked for, and for ours only. */
    record Result(Round round, StartupTimeline timeline) {
    }

    JoinRound(LocalCluster cluster, GaleraNode donor, ChildCpu cpu) {
        this.cluster = cluster;
        this.donor = donor;
        this.cpu = cpu;
    }

    /** One round: {@code profile}'s lines are the new joiner's; the caller has given the donor the same. */
    Result run(String method, BenchProfile.Setup profile, BenchOptions.Size size, long tableBytes, int round,
               boolean wantTimeline) throws IOException, InterruptedException {
        Path syncedAt = cluster.nextNodeHome().resolve("synced-at");
        GaleraNode joiner = cluster.addNode(method, false, profile.sstLines(),
                SyncedNotice.mysqldLines(SyncedNotice.script(cluster.home())), SyncedNotice.env(syncedAt), Map.of());
        double donorCpuBefore = cpu.reapedSeconds(donor.pid());
        long t0Ms = System.currentTimeMillis();
        long t0 = System.nanoTime();
        joiner.start(false);
        SstMemorySampler memory = SstMemorySampler.watch(Map.of("joiner", joiner.pid(), "donor", donor.pid()));
        double seconds;
        try (memory) {
            joiner.awaitSynced(JOIN_TIMEOUT);
            double polled = (System.nanoTime() - t0) / 1e9;
            // to the millisecond from Galera's own notice; the 200 ms poll only if the notice never came
            OptionalLong notice = SyncedNotice.awaitFirstMillis(syncedAt, 2000);
            seconds = notice.isPresent() ? (notice.getAsLong() - t0Ms) / 1000.0 : polled;
            if (notice.isEmpty()) {
                System.err.println("WARNING: round " + round + " (" + method + ", " + profile.name() + ", " + size.label()
                        + "): no Synced notice from mariadbd in " + syncedAt + "; timed by the 200 ms poll instead");
            }
            // the figures below are whole only once both SST scripts have been reaped
            ChildCpu.awaitNoChildren(joiner.pid(), joiner.name(), SST_END_TIMEOUT);
            ChildCpu.awaitNoChildren(donor.pid(), donor.name(), SST_END_TIMEOUT);
        }
        long syncedMs = t0Ms + Math.round(seconds * 1000);
        double cpuJoiner = cpu.reapedSeconds(joiner.pid());
        double cpuDonor = cpu.reapedSeconds(donor.pid()) - donorCpuBefore;
        String a = LocalCluster.checksum(donor, "sbtest.t");
        String b = LocalCluster.checksum(joiner, "sbtest.t");
        if (!a.equals(b)) {
            throw new IllegalStateException("CHECKSUMS DIFFER after " + method + " (profile " + profile.name() + ", round "
                    + round + ", size " + size.label() + "): donor " + a + ", joiner " + b + "; the joiner's datadir is "
                    + joiner.datadir() + ", its log " + joiner.errorLog());
        }
        Result result;
        if (method.equals(BenchOptions.OURS) || method.equals(BenchOptions.BASE)) {
            RunDetail joinerRun = OurHistory.run(joiner.historyDir(), "joiner", t0Ms);
            RunDetail donorRun = OurHistory.run(donor.historyDir(), "donor", t0Ms);
            Optional<RunDetail.Transfer> backup = OurHistory.backup(joinerRun);
            Double data = backup.map(t -> (t.endedMs() - t.startedMs()) / 1000.0).orElse(null);
            StartupTimeline timeline = wantTimeline ? StartupTimeline.of(t0Ms, syncedMs, joinerRun, donorRun) : null;
            result = new Result(new Round(method, profile.name(), size, tableBytes, round, seconds, true, cpuJoiner,
                    cpuDonor, data, backup.map(RunDetail.Transfer::bytes).orElse(null),
                    OurHistory.wireBytes(joinerRun).orElse(null), memory.peakKb("joiner"), memory.peakKb("donor"),
                    OurHistory.wireSetup(joinerRun, donorRun)), timeline);
        } else {
            Double data = StockDataStage.seconds(donor, joiner).orElse(null);
            result = new Result(new Round(method, profile.name(), size, tableBytes, round, seconds, true, cpuJoiner,
                    cpuDonor, data, null, null, null, null, StockPipeline.of(donor, joiner).orElse(null)), null);
        }
        cluster.discard(joiner);
        // the donor is Donor/Desynced until it has caught up; a joiner started before that waits for it
        donor.awaitSynced(SST_END_TIMEOUT);
        return result;
    }
}
