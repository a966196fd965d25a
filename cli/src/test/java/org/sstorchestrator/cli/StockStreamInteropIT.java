package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    @Test
    void theStockDonorsRealToolsWriteWhatOurJoinersReadBuiltIn() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("stock-compressing-donor");
        try {
            GaleraNode donor = cluster.addNode("mariabackup", false, List.of());
            cluster.bootstrap(donor);
            LocalCluster.load(donor, 5);
            for (Codec c : CODECS) {
                donate(donor, c);
                GaleraNode joiner = cluster.addNode("mariabackup", true, joinerSst(c));
                joinAndCompare(cluster, donor, joiner);
                RunDetail run = newest(joiner);
                assertEquals("completed", run.summary().outcome(), c.tool());
                assertEquals("built-in", run.attributes().get("decompressor").split(" ")[0], c.tool() + " is built in");
                joiner.stop();
            }
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    @Test
    void ourDonorsBuiltInCompressorsWriteWhatStockJoinersReadWithTheRealTools() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("our-compressing-donor");
        try {
            GaleraNode donor = cluster.addNode("mariabackup", true, List.of());
            cluster.bootstrap(donor);
            LocalCluster.load(donor, 5);
            for (Codec c : CODECS) {
                donate(donor, c);
                GaleraNode joiner = cluster.addNode("mariabackup", false, joinerSst(c));
                joinAndCompare(cluster, donor, joiner);
                RunDetail run = newest(donor);
                assertEquals("completed", run.summary().outcome(), c.tool());
                assertEquals("built-in", run.attributes().get("compressor").split(" ")[0], c.tool() + " is built in");
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

    private static void joinAndCompare(LocalCluster cluster, GaleraNode donor, GaleraNode joiner) throws Exception {
        try {
            cluster.join(joiner, Duration.ofMinutes(4));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\nJOINER:\n" + ClusterFixture.errorLogTail(joiner)
                    + "\nDONOR:\n" + ClusterFixture.errorLogTail(donor), e);
        }
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));
    }
}
