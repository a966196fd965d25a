package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;

/**
 * Issue 10: our built-in compressors against the stock script, which runs the real zstd, lz4
 * and pigz (docs/wire-protocol.md#a-cluster-on-one-machine: ours installed as wsrep_sst_mariabackup on one node). One
 * donor serves four joiners in turn, its [sst] options rewritten between them (the SST script
 * reads my.cnf afresh at each donation); each joiner must end with the donor's rows. The last
 * adds encrypt=1: the stock wire is compressor(encrypt(mbstream)), and ours must layer alike.
 */
class StockStreamInteropIT {

    private static final List<String> ENCRYPT1 = List.of("encrypt=1", "encrypt-algo=aes-256-cbc",
            "encrypt-key=4c2a5f5e0d1b7a39");

    /** tool, the donor's compressor, the joiner's decompressor (what an operator writes for the stock script), more [sst]. */
    private record Codec(String tool, String compressor, String decompressor, List<String> both) {
    }

    private static final List<Codec> CODECS = List.of(
            new Codec("zstd", "zstd -T2 -3 -c", "zstd -d", List.of()),
            new Codec("lz4", "lz4 -c", "lz4 -d", List.of()),
            new Codec("pigz", "pigz -p 2 -c", "pigz -dc", List.of()),
            new Codec("zstd under encrypt=1", "zstd -c", "zstd -d", ENCRYPT1));

    /**
     * Ours runs its compressor or decompressor built in ({@code compressor} on a donor,
     * {@code decompressor} on a joiner: its history says which it used), the stock node the
     * real tool the same option names.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void ourBuiltInCodecsAndTheStockScriptsRealToolsReadWhatTheOtherWrites(Direction dir) throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster(dir.cluster("compressing"));
        try {
            GaleraNode donor = cluster.addNode("mariabackup", dir.oursDonates(), List.of());
            cluster.bootstrap(donor);
            LocalCluster.load(donor, 5);
            String option = dir.oursJoins() ? "decompressor" : "compressor";
            for (Codec c : CODECS) {
                donate(donor, c);
                GaleraNode joiner = cluster.addNode("mariabackup", dir.oursJoins(), joinerSst(c));
                ClusterFixture.joinAndCompare(cluster, joiner, donor, Duration.ofMinutes(4), dir + ", " + c.tool());
                RunDetail run = newest(dir.ours(donor, joiner));
                assertEquals("completed", run.summary().outcome(), dir + ", " + c.tool());
                assertEquals("built-in", run.attributes().get(option).split(" ")[0],
                        dir + ", " + c.tool() + " is built in");
                joiner.stop();
            }
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    private static List<String> joinerSst(Codec c) {
        List<String> lines = new ArrayList<>(c.both());
        lines.add("decompressor=" + c.decompressor());
        return lines;
    }

    /** Rewrites the donor's [sst] compressor and encrypt lines (its option file ends with the [sst] group). */
    private static void donate(GaleraNode donor, Codec c) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(donor.cnf()).stream()
                .filter(l -> !l.startsWith("compressor=") && !l.startsWith("encrypt")).toList());
        lines.add("compressor=" + c.compressor());
        lines.addAll(c.both());
        Files.write(donor.cnf(), lines);
    }

    private static RunDetail newest(GaleraNode node) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(node.historyDir())) {
            HistoryQueries q = new HistoryQueries(db);
            return q.detail(q.history(null, 1).get(0).id());
        }
    }
}
