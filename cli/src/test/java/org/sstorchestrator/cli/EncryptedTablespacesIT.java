package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;

/**
 * Prepare needs the key-management plugin for encrypted tablespaces, and the donor's
 * backup-my.cnf asks for it, with the donor's key file path. Since that file is rewritten
 * from an allow-list (issue 6), the key file and the plugin's other settings come from the
 * <em>joiner's own</em> configuration, never from the stream: its my.cnf, or the options
 * mysqld was started with (issue 19: containers and test harnesses give
 * {@code --plugin-load-add=file_key_management.so --loose-file-key-management-filename=...}
 * on mysqld's command line, and such a joiner failed prepare with "file-key-management-filename
 * is not set"). Every page size, innodb_encrypt_tables ON and OFF (a table created
 * ENCRYPTED=YES either way), the joiner's options in my.cnf and on its command line; each
 * node has its own key file path. One donor per page size serves its four joiners.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptedTablespacesIT {

    private static final String KEYS = "1;a7addd9adea9978fda19f21e6be987880e68ac92632ca052e5bb42b1a506939a\n"
            + "2;49c16acc2dffe616710c9ba9a10b94944a737de1beccb52dc1560abfdd67388b\n";

    /** Where a node's key-management options are given. */
    enum Where { MY_CNF, COMMAND_LINE }

    private final Map<Integer, LocalCluster> donors = new HashMap<>();
    private final List<LocalCluster> clusters = new ArrayList<>();
    private int joiners;

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (int pageKb : new int[] {4, 8, 16}) {
            for (boolean encryptTables : new boolean[] {true, false}) {
                for (Where where : Where.values()) {
                    out.add(Arguments.of(pageKb, encryptTables, where));
                }
            }
        }
        return out.stream();
    }

    /** The key-management options of an encrypting node, as mysqld's command-line words ({@code --name=value}). */
    private static List<String> options(Path keys, boolean encryptTables, boolean commandLine) {
        return List.of(commandLine ? "--plugin-load-add=file_key_management.so" : "--plugin-load-add=file_key_management",
                "--loose-file-key-management-filename=" + keys,
                "--file-key-management-encryption-algorithm=aes_cbc",
                "--innodb-encrypt-tables=" + (encryptTables ? "ON" : "OFF"),
                "--innodb-encrypt-log=ON", "--innodb-encryption-threads=1");
    }

    /**
     * A node of {@code pageKb} pages (always in its my.cnf: mariadb-install-db, which reads
     * only my.cnf, must make the bootstrapped node's files with it) with {@code options}.
     */
    private static LocalCluster.Spec spec(int pageKb, List<String> options, Where where) {
        List<String> cnf = new ArrayList<>(List.of("innodb_page_size=" + pageKb + "k"));
        LocalCluster.Spec s = LocalCluster.Spec.of("mariabackup_sm", false);
        if (where == Where.COMMAND_LINE) {
            s = s.arguments(options);
        } else {
            options.forEach(o -> cnf.add(o.substring(2)));
        }
        return s.mysqld(cnf);
    }

    /**
     * The donor of one page size: its options on mysqld's command line at 4k and 16k, in its
     * my.cnf at 8k; a table created ENCRYPTED=YES while innodb_encrypt_tables is OFF, and rows.
     */
    private LocalCluster donor(int pageKb) throws Exception {
        LocalCluster known = donors.get(pageKb);
        if (known != null) {
            return known;
        }
        LocalCluster cluster = ClusterFixture.newCluster("encrypted-" + pageKb + "k");
        clusters.add(cluster);
        Path keys = Files.writeString(cluster.home().resolve("donor-keys.txt"), KEYS);
        GaleraNode donor = cluster.addNode(spec(pageKb, options(keys, false, pageKb != 8),
                pageKb == 8 ? Where.MY_CNF : Where.COMMAND_LINE));
        cluster.bootstrap(donor);
        donor.sql("CREATE DATABASE secret");
        donor.sql("CREATE TABLE secret.t (id INT PRIMARY KEY, v VARCHAR(200)) ENGINE=InnoDB ENCRYPTED=YES");
        donor.sql("INSERT INTO secret.t SELECT seq, REPEAT(MD5(seq), 6) FROM secret.seq_1_to_20000");
        LocalCluster.load(donor, 2);
        donors.put(pageKb, cluster);
        return cluster;
    }

    @ParameterizedTest(name = "{0}k pages, innodb_encrypt_tables={1}, the joiner's options in {2}")
    @MethodSource("matrix")
    void aJoinerPreparesEncryptedTablespacesWithItsOwnKeyFile(int pageKb, boolean encryptTables, Where where)
            throws Exception {
        LocalCluster cluster = donor(pageKb);
        GaleraNode donor = cluster.nodes().get(0);
        donor.sql("SET GLOBAL innodb_encrypt_tables=" + (encryptTables ? "ON" : "OFF"));
        Path joinerKeys = Files.writeString(cluster.home().resolve("joiner-keys-" + ++joiners + ".txt"), KEYS);
        GaleraNode joiner = cluster.addNode(spec(pageKb, options(joinerKeys, encryptTables, where == Where.COMMAND_LINE),
                where));
        try {
            cluster.join(joiner, Duration.ofMinutes(3));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\nJOINER:\n" + ClusterFixture.errorLogTail(joiner), e);
        }
        assertEquals(LocalCluster.checksum(donor, "secret.t"), LocalCluster.checksum(joiner, "secret.t"));
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));
        assertEquals("Y", joiner.sql("SELECT IF(ENCRYPTION_SCHEME > 0, 'Y', 'N') FROM information_schema"
                + ".INNODB_TABLESPACES_ENCRYPTION WHERE NAME = 'secret/t'").trim(), "secret.t is encrypted on the joiner");

        try (HistoryDatabase db = HistoryDatabase.openForReading(joiner.historyDir())) {
            HistoryQueries q = new HistoryQueries(db);
            RunDetail run = q.detail(q.resolveRunId("last"));
            assertEquals("completed", run.summary().outcome());
            List<String> notes = run.notes().stream().map(n -> n.kind() + ": " + n.detail()).toList();
            assertTrue(notes.stream().anyMatch(n -> n.startsWith("backup_cnf_replaced: file_key_management_filename")),
                    "the donor's key file path was replaced by the joiner's own: " + notes);
            assertTrue(notes.stream().anyMatch(n -> n.startsWith("backup_cnf_replaced: plugin_dir=")), notes.toString());
        }
        joiner.stop();
        TransitionLedger.record(getClass(), joiner.home());
        cluster.discard(joiner);
    }

    @AfterAll
    void finish() throws Exception {
        for (LocalCluster c : clusters) {
            ClusterFixture.finish(getClass(), c);
        }
    }
}
