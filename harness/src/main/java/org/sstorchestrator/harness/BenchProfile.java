package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A benchmark profile: the {@code [sst]} lines every node of a round has, so that the three
 * methods are compared under the same settings (issues 8 and 10). The stock script and ours
 * read their options from my.cnf at each SST (docs/options.md), so one set of lines serves all
 * three methods: the long-lived donor's my.cnf is rewritten before each round, a joiner gets
 * the lines when it is made. Each profile is one entry here; nothing else in the benchmark
 * knows what a profile holds.
 */
enum BenchProfile {

    PLAIN("plain", "no [sst] options (the defaults)", work -> List.of()),
    TLS4("tls4", "encrypt=4: TLS, each end checks the other's certificate against a CA made at start-up",
            BenchPki::sstLines),
    ZSTD("zstd", "the stream compressed on the wire with zstd -1 -T2", work -> Lines.ZSTD),
    PLAIN_1G("plain-1g", "plain, at rlimit=" + Lines.RLIMIT_VALUE + Lines.ONE_GBIT, work -> Lines.RLIMIT),
    ZSTD_1G("zstd-1g", "zstd, at rlimit=" + Lines.RLIMIT_VALUE + Lines.ONE_GBIT,
            work -> Stream.concat(Lines.ZSTD.stream(), Lines.RLIMIT.stream()).toList());

    /** Makes a profile's lines; a profile that needs files (certificates) makes them under {@code work}. */
    private interface Maker {
        List<String> lines(Path work) throws IOException, InterruptedException;
    }

    /** A profile with its lines made, as the rounds apply it. */
    record Setup(BenchProfile profile, List<String> sstLines) {
        String name() {
            return profile.label;
        }
    }

    private final String label;
    private final String about;
    private final Maker maker;

    BenchProfile(String label, String about, Maker maker) {
        this.label = label;
        this.about = about;
        this.maker = maker;
    }

    String label() {
        return label;
    }

    String about() {
        return about;
    }

    Setup setUp(Path work) throws IOException, InterruptedException {
        return new Setup(this, List.copyOf(maker.lines(work)));
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(BenchProfile::label).toList();
    }

    static BenchProfile named(String label) {
        return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--profiles: '" + label + "' is not one of " + labels()));
    }

    /** The lines themselves: held apart so the constants above can name them before they are initialised. */
    private static final class Lines {
        /**
         * The same two lines work for both: the stock script pipes the stream through these
         * commands in its shell pipeline (donor: compressor, joiner: decompressor); ours
         * recognises zstd named without a path and runs it built in at the same level with the
         * same workers, writing the same frames.
         */
        static final List<String> ZSTD = List.of("compressor=zstd -1 -T2", "decompressor=zstd -d");
        /**
         * 119 MiB/s (pv's k/m/g are powers of 1024, and ours reads them the same way) is 0.998
         * Gbit/s. Both methods pace the bytes on the wire, after the compressor: the stock
         * donor with pv -L in its pipeline, ours in its copy loop next to the socket.
         */
        static final String RLIMIT_VALUE = "119m";
        static final List<String> RLIMIT = List.of("rlimit=" + RLIMIT_VALUE);
        static final String ONE_GBIT = ": a 1 Gbit/s link simulated by rate-limiting the donor's stream on the wire"
                + " (loopback still: no latency, no loss)";
    }
}
