package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.RunSummary;

/**
 * Issue 9 on a real cluster, ours beside the stock script: every node keeps its InnoDB data
 * home, redo, undo and Aria directories and its binary logs outside the datadir, set only in
 * my.cnf's [galera] and [mariadb] groups (the redo directory and use-memory only in groups of
 * a --defaults-group-suffix on the joiners), with log_basename, gtid_strict_mode and
 * wsrep_gtid_mode. Node 1 runs the stock script; node 2 is ours installed as
 * wsrep_sst_mariabackup and joins from node 1 (stock donor, our joiner); node 3 runs the stock
 * script and joins from node 2 (our donor, stock joiner): both joiners must end with the same
 * layout. Then node 2 goes through IST (no error 1950, the same gtid_binlog_pos as its donor)
 * and through a second, forced SST over its old files, which move-back would otherwise meet.
 */
class ParityClusterIT {

    private static final String SUFFIX = ".parity";
    private static final Duration JOIN = Duration.ofMinutes(4);
    private static final List<String> SEPARATE = List.of("ibdata", "redo", "undo", "aria", "binlog");
    private static final Pattern ERROR_1950 = Pattern.compile("(?<![0-9])1950(?![0-9])|out-of-order sequence number");

    /** A node of this cluster's layout; {@code suffixed}: started with --defaults-group-suffix, and some options only there. */
    private static LocalCluster.Spec spec(LocalCluster cluster, boolean ours, boolean suffixed, String donor) {
        Path home = cluster.nextNodeHome();
        String name = home.getFileName().toString();
        String suffix = suffixed ? SUFFIX : "";
        List<String> mysqld = new ArrayList<>(List.of(
                "wsrep_gtid_mode=ON", "wsrep_gtid_domain_id=9", "server_id=9", "log_slave_updates=ON",
                "gtid_strict_mode=ON",
                "[galera]",
                "innodb_data_home_dir=" + home.resolve("ibdata"),
                "log_bin=" + home.resolve("binlog").resolve(name + "-bin"),
                "[mariadb]",
                "innodb_undo_directory=" + home.resolve("undo"),
                "innodb_undo_tablespaces=3",
                "aria_log_dir_path=" + home.resolve("aria"),
                "[galera" + suffix + "]",
                "innodb_log_group_home_dir=" + home.resolve("redo")));
        if (donor != null) {
            mysqld.add("wsrep_sst_donor=" + donor);
        }
        mysqld.add("[mysqld]"); // what the harness adds next is its [mysqld]'s
        return LocalCluster.Spec.of("mariabackup", ours)
                .leading(List.of("[mariadb]", "log_basename=" + name)) // first: it names the pid and error files
                .mysqld(mysqld)
                .sst(List.of("sst-log-archive-dir=" + home.resolve("archive/not/yet"),
                        "[mariabackup" + suffix + "]", "use-memory=96M"))
                .arguments(suffixed ? List.of("--defaults-group-suffix=" + SUFFIX) : List.of());
    }

    @Test
    void layoutsOutsideTheDatadirAndBinlogsThroughSstIstAndASecondSstAsTheStockScript() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("parity");
        try {
            GaleraNode stock1 = cluster.addNode(spec(cluster, false, false, null));
            for (String d : SEPARATE) {
                Files.createDirectories(stock1.home().resolve(d)); // mariadb-install-db does not make them
            }
            cluster.bootstrap(stock1);
            LocalCluster.load(stock1, 5);

            GaleraNode ours = cluster.addNode(spec(cluster, true, true, "node1"));
            join(cluster, ours, stock1);
            // issue 19: made at the start of a first SST, which has no previous log to move, as the stock script makes it
            assertTrue(Files.isDirectory(ours.home().resolve("archive/not/yet")), "no archive directory after a first SST");
            useMemoryReachedPrepare(ours); // before it donates: a donation archives the joiner's logs
            Map<String, List<String>> oursLayout = layout(ours);
            GaleraNode stock3 = cluster.addNode(spec(cluster, false, true, "node2"));
            join(cluster, stock3, ours);
            assertTrue(Files.isDirectory(stock3.home().resolve("archive/not/yet")), "the stock joiner makes it too");
            useMemoryReachedPrepare(stock3);
            assertEquals(layout(stock3), oursLayout, "our joiner's layout is the stock joiner's");
            assertDatadirHoldsNoneOfIt(ours);
            assertDatadirHoldsNoneOfIt(stock3);

            // IST into our joiner, gtid_strict_mode on: nothing the donor binlogged may sit in its binary log
            ours.stop();
            for (int i = 0; i < 20; i++) {
                stock1.sql("INSERT INTO sbtest.t (k, pad) VALUES (" + i + ", 'while node2 was down')");
            }
            join(cluster, ours, stock1);
            String log = Files.readString(ours.errorLog());
            assertFalse(ERROR_1950.matcher(log).find(), "error 1950 on the joiner:\n" + ClusterFixture.errorLogTail(ours));
            assertTrue(log.contains("mariabackup IST completed on joiner"), ClusterFixture.errorLogTail(ours));
            sameGtidBinlogPos(stock1, ours);
            for (GaleraNode n : List.of(stock1, ours)) {
                assertTrue(archived(n) > 0, n.name() + ": the previous logs were not archived into a new directory");
            }

            // a second SST (its state forgotten) over the old data, undo and redo files and binary logs
            ours.stop();
            Files.delete(ours.datadir().resolve("grastate.dat"));
            Files.writeString(ours.home().resolve("undo/stray"), "not the donor's");
            Files.writeString(ours.home().resolve("ibdata/keep.pem"), "cpat keeps it");
            join(cluster, ours, stock1);
            RunSummary last = ClusterFixture.history(ours).get(0);
            assertEquals("completed", last.outcome());
            assertTrue(ClusterFixture.events(ours, last.id()).contains("drop_binlogs:completed"));
            assertFalse(Files.exists(ours.home().resolve("undo/stray")), "the undo directory was not wiped");
            assertTrue(Files.exists(ours.home().resolve("ibdata/keep.pem")), "the wipe did not keep what cpat keeps");
            assertEquals(LocalCluster.checksum(stock1, "sbtest.t"), LocalCluster.checksum(ours, "sbtest.t"));
            assertDatadirHoldsNoneOfIt(ours);
            assertFalse(ERROR_1950.matcher(Files.readString(ours.errorLog())).find(), ClusterFixture.errorLogTail(ours));
            sameGtidBinlogPos(stock1, ours);
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }

    private static void join(LocalCluster cluster, GaleraNode joiner, GaleraNode donor) throws Exception {
        try {
            cluster.join(joiner, JOIN);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\nJOINER:\n" + ClusterFixture.errorLogTail(joiner)
                    + "\nDONOR:\n" + ClusterFixture.errorLogTail(donor), e);
        }
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));
    }

    private static void useMemoryReachedPrepare(GaleraNode n) throws IOException {
        assertTrue(Files.readString(n.datadir().resolve("mariabackup.prepare.log"))
                        .contains("Using 100663296 bytes for buffer pool (set by --use-memory parameter)"),
                n.name() + ": use-memory=96M from [mariabackup" + SUFFIX + "] did not reach prepare");
    }

    /** What each directory apart from the datadir holds, the node's name written NODE. */
    private static Map<String, List<String>> layout(GaleraNode n) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        for (String d : SEPARATE) {
            out.put(d, names(n.home().resolve(d)).stream().map(f -> f.replace(n.name(), "NODE")).toList());
        }
        return out;
    }

    /** The InnoDB, Aria and binary log files are where my.cnf puts them, none of the donor's binary logs anywhere. */
    private static void assertDatadirHoldsNoneOfIt(GaleraNode n) throws IOException {
        List<String> data = names(n.datadir());
        for (String f : data) {
            assertFalse(f.equals("ibdata1") || f.startsWith("ib_logfile") || f.matches("undo[0-9]+")
                    || f.startsWith("aria_log") || f.matches(".*-bin\\.[0-9]+"), n.name() + " datadir holds " + f + ": " + data);
        }
        assertTrue(data.contains(n.name() + "-bin.index"), "mysqld's index (<basename>-bin.index): " + data);
        List<String> binlogs = names(n.home().resolve("binlog"));
        assertTrue(binlogs.stream().allMatch(f -> f.startsWith(n.name() + "-bin.")), "not its own: " + binlogs);
        assertTrue(names(n.home().resolve("undo")).containsAll(List.of("undo001", "undo002", "undo003")));
        assertTrue(names(n.home().resolve("ibdata")).contains("ibdata1"));
        assertTrue(names(n.home().resolve("redo")).contains("ib_logfile0"));
    }

    /** After one more write, both nodes' binary logs end at the same GTID. */
    private static void sameGtidBinlogPos(GaleraNode a, GaleraNode b) throws Exception {
        a.sql("INSERT INTO sbtest.t (k, pad) VALUES (0, 'gtid probe')");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String pa;
        String pb;
        do {
            pa = a.sql("SELECT @@gtid_binlog_pos");
            pb = b.sql("SELECT @@gtid_binlog_pos");
            if (pa.equals(pb) && !pa.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("gtid_binlog_pos " + a.name() + " '" + pa + "' vs " + b.name() + " '" + pb + "'");
    }

    private static long archived(GaleraNode n) throws IOException {
        Path dir = n.home().resolve("archive/not/yet");
        return names(dir).stream().filter(f -> f.startsWith("mariabackup.") && f.endsWith(".gz")).count();
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
