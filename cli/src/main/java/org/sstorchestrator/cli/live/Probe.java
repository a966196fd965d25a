package org.sstorchestrator.cli.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.sstorchestrator.persistence.OwnerLiveness;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;

/**
 * The answer a liveness probe needs (issue 22), from the datadir alone (no history, no lock
 * taken, nothing written): {@value #ALIVE} while an SST is alive and progressing,
 * {@value #NONE} when none runs, {@value #STUCK} when one is stuck (no heartbeat, or no byte
 * while its stream runs, for the given time) or its owner is dead (a stale status or marker),
 * {@value #UNKNOWN} when the status cannot be read.
 *
 * <p>Bytes are asked of a stage only while it copies a stream: prepare and move-back move
 * none for as long as they take, and listen waits for the donor under sst-initial-timeout;
 * there the heartbeat and the owner are the signs of life.
 */
public final class Probe {

    public static final int ALIVE = 0;
    public static final int NONE = 1;
    public static final int STUCK = 2;
    public static final int UNKNOWN = 3;

    private Probe() {
    }

    /** What the probe found; STALE and STUCK both answer {@value #STUCK}, but only a stale marker is cleanup's. */
    public enum Kind {
        ALIVE(Probe.ALIVE), NONE(Probe.NONE), STUCK(Probe.STUCK), STALE(Probe.STUCK), UNREADABLE(Probe.UNKNOWN);

        private final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    /** {@code status}: what was read, when there was a status to read. */
    public record Verdict(Kind kind, String reason, Optional<LiveStatus> status) {

        public int code() {
            return kind.code;
        }
    }

    public static Verdict judge(Path datadir, long nowMs, Duration stuckAfter, Duration heartbeatTimeout) {
        Optional<LiveStatus> read;
        try {
            read = LiveStatus.read(datadir);
        } catch (IOException | IllegalArgumentException e) {
            return new Verdict(Kind.UNREADABLE, "cannot read " + datadir.resolve(SstFiles.STATUS) + ": " + e.getMessage(),
                    Optional.empty());
        }
        if (read.isEmpty()) {
            return withoutStatus(datadir);
        }
        LiveStatus s = read.get();
        String who = "run " + shortId(s.run()) + " (" + s.role() + ", at " + s.stage() + ")";
        if (!OwnerLiveness.isAlive(s.pid(), s.pidStartedMs())) {
            return new Verdict(Kind.STALE, "stale: " + who + " is not running any more (pid " + s.pid() + " is gone);"
                    + " sst-admin cleanup " + shortId(s.run()) + " removes what it left", read);
        }
        long silent = nowMs - s.heartbeatMs();
        if (silent > heartbeatTimeout.toMillis()) {
            return new Verdict(Kind.STUCK, "stuck: " + who + " has written no heartbeat for " + silent / 1000 + " s (pid "
                    + s.pid() + " is alive)", read);
        }
        long still = nowMs - s.progressMs();
        if (s.stream() && still > stuckAfter.toMillis()) {
            return new Verdict(Kind.STUCK, "stuck: " + who + " has moved no byte of its stream for " + still / 1000 + " s ("
                    + mb(s.bytes()) + " so far; --stuck-after " + stuckAfter.toSeconds() + " s)", read);
        }
        return new Verdict(Kind.ALIVE, "alive: " + who + ", " + progress(s) + ", heartbeat " + Math.max(0, silent) + " ms ago",
                read);
    }

    /** sst_in_progress without a status: the stock script's SST (it writes none), or one of ours left behind. */
    private static Verdict withoutStatus(Path datadir) {
        Path marker = datadir.resolve(SstFiles.IN_PROGRESS);
        if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            return new Verdict(Kind.NONE, "no SST is running on " + datadir, Optional.empty());
        }
        Optional<Long> owner = SstLock.liveOwner(datadir.resolve(SstLock.FILE));
        if (owner.isPresent()) {
            return new Verdict(Kind.ALIVE, "alive: an SST without a status (pid " + owner.get() + " holds the datadir;"
                    + " the stock script writes none)", Optional.empty());
        }
        String run = markerRun(marker).map(r -> "run " + shortId(r)).orElse("an SST of the stock script or of no known run");
        return new Verdict(Kind.STALE, "stale: " + marker + " is left by " + run + ", which is gone (no live process"
                + " holds " + datadir.resolve(SstLock.FILE) + "); sst-admin cleanup " + markerRun(marker).map(Probe::shortId)
                .orElse("--stale") + " removes it", Optional.empty());
    }

    /** Our marker holds its run's id; the stock script's is empty. */
    private static Optional<String> markerRun(Path marker) {
        try {
            String s = Files.readString(marker).strip();
            return s.matches("[0-9a-f-]{36}") ? Optional.of(s) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** "12.3 MB of 45.6 MB, 10.1 MB/s, ETA 3 s", or what of it is known. */
    static String progress(LiveStatus s) {
        if (!s.stream() && s.bytes() == 0) {
            return "no stream running";
        }
        StringBuilder o = new StringBuilder(mb(s.bytes()));
        if (s.total() != null) {
            o.append(" of ").append(mb(s.total()));
        }
        if (s.bytesPerSecond() > 0) {
            o.append(", ").append(mb(s.bytesPerSecond())).append("/s");
        }
        if (s.etaSeconds() != null) {
            o.append(", ETA ").append(s.etaSeconds()).append(" s");
        }
        return o.toString();
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }

    static String shortId(String run) {
        return run.length() > 8 ? run.substring(0, 8) : run;
    }
}
