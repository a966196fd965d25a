package org.sstorchestrator.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** The figures of one size under one profile: per method over its rounds, and ours against the other two. */
record SizeSummary(String profile, BenchOptions.Size size, long tableBytes, List<Method> methods) {

    /**
     * One method at one size. Times are medians and the range over rounds; CPU per GB is the
     * median; RSS is the peak over rounds (ours only). {@code dataMbPerSecond} divides the
     * table's size by the data stage, the same measure for every method;
     * {@code streamMbPerSecond} is ours' own stream size over it, from its history;
     * {@code streamMb} and {@code wireMb} are ours' payload and its bytes on the wire (medians).
     */
    record Method(String method, double medianSeconds, double minSeconds, double maxSeconds, Double dataSeconds,
                  Double dataMbPerSecond, Double streamMbPerSecond, Double cpuJoinerPerGb, Double cpuDonorPerGb,
                  Long rssJoinerKb, Long rssDonorKb, Double streamMb, Double wireMb) {

        /** Ours' bytes on the wire over its payload: below 1 when a compressor earned its keep. */
        Double wireOverStream() {
            return streamMb == null || wireMb == null || streamMb <= 0 ? null : wireMb / streamMb;
        }
    }

    static SizeSummary of(String profile, BenchOptions.Size size, List<String> methods, List<Round> rounds) {
        List<Round> here = rounds.stream().filter(r -> r.size().equals(size) && r.profile().equals(profile)).toList();
        long tableBytes = here.stream().mapToLong(Round::tableBytes).max().orElse(0);
        List<Method> out = new ArrayList<>();
        for (String m : methods) {
            List<Round> rs = here.stream().filter(r -> r.method().equals(m)).toList();
            if (rs.isEmpty()) {
                continue;
            }
            List<Double> secs = rs.stream().map(Round::seconds).toList();
            Double data = Stats.median(rs.stream().map(Round::dataSeconds).toList());
            Double stream = Stats.median(rs.stream().map(r -> r.streamBytes() == null || r.dataSeconds() == null
                    || r.dataSeconds() <= 0 ? null : r.streamBytes() / Round.MB / r.dataSeconds()).toList());
            out.add(new Method(m, Stats.median(secs), Stats.min(secs), Stats.max(secs), data,
                    data == null || data <= 0 ? null : tableBytes / Round.MB / data, stream,
                    Stats.median(rs.stream().map(Round::cpuJoinerPerGb).toList()),
                    Stats.median(rs.stream().map(Round::cpuDonorPerGb).toList()),
                    peak(rs.stream().map(Round::rssJoinerKb).toList()), peak(rs.stream().map(Round::rssDonorKb).toList()),
                    medianMb(rs, Round::streamBytes), medianMb(rs, Round::wireBytes)));
        }
        return new SizeSummary(profile, size, tableBytes, List.copyOf(out));
    }

    private static Long peak(List<Long> kbs) {
        return kbs.stream().filter(Objects::nonNull).max(Long::compare).orElse(null);
    }

    private static Double medianMb(List<Round> rs, Function<Round, Long> bytes) {
        return Stats.median(rs.stream().map(bytes).map(b -> b == null ? null : b / Round.MB).toList());
    }

    Optional<Method> method(String name) {
        return methods.stream().filter(m -> m.method().equals(name)).findFirst();
    }

    /** Ours' median time over {@code other}'s; empty if either did not run. */
    Optional<Double> oursOver(String other) {
        return method(BenchOptions.OURS).flatMap(o -> method(other).map(x -> o.medianSeconds() / x.medianSeconds()));
    }

    /** Ours' median data stage over {@code other}'s (the part a wire change moves); empty if either has none. */
    Optional<Double> oursDataOver(String other) {
        return method(BenchOptions.OURS).flatMap(o -> method(other).flatMap(x -> o.dataSeconds() == null
                || x.dataSeconds() == null ? Optional.empty() : Optional.of(o.dataSeconds() / x.dataSeconds())));
    }
}
