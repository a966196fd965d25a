package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;

/**
 * Prepare needs the key-management plugin for encrypted tablespaces, and the donor's
 * backup-my.cnf asks for it, with the donor's key file path. Since that file is rewritten
 * from an allow-list (issue 6), this proves the allow-list still lets a real encrypted donor
 * through: the plugin is loaded from the joiner's own plugin directory with the joiner's own
 * key file (each node has its own path here), and the joined node reads the donor's rows.
 */
class EncryptedTablespacesIT {

    private static final String KEYS = "1;a7addd9adea9978fda19f21e6be987880e68ac92632ca052e5bb42b1a506939a\n"
            + "2;49c16acc2dffe616710c9ba9a10b94944a737de1beccb52dc1560abfdd67388b\n";

    private static List<String> encrypted(Path keys) {
        return List.of("plugin_load_add=file_key_management", "file_key_management_filename=" + keys,
                "innodb_encrypt_tables=ON", "innodb_encrypt_log=ON", "innodb_encryption_threads=1");
    }

    @Test
    void aDonorWithEncryptedTablesJoinsANodeThroughTheRewrittenBackupConfig() throws Exception {
        LocalCluster cluster = ClusterFixture.newCluster("encrypted");
        try {
            Path donorKeys = Files.writeString(cluster.home().resolve("donor-keys.txt"), KEYS);
            Path joinerKeys = Files.writeString(cluster.home().resolve("joiner-keys.txt"), KEYS);
            GaleraNode donor = cluster.addNode("mariabackup_sm", false, List.of(), encrypted(donorKeys), Map.of(), Map.of());
            cluster.bootstrap(donor);
            donor.sql("CREATE DATABASE secret");
            donor.sql("CREATE TABLE secret.t (id INT PRIMARY KEY, v VARCHAR(200)) ENGINE=InnoDB ENCRYPTED=YES");
            donor.sql("INSERT INTO secret.t SELECT seq, REPEAT(MD5(seq), 6) FROM secret.seq_1_to_20000");
            LocalCluster.load(donor, 5);

            GaleraNode joiner = cluster.addNode("mariabackup_sm", false, List.of(), encrypted(joinerKeys), Map.of(), Map.of());
            cluster.join(joiner, Duration.ofMinutes(4));
            assertEquals(LocalCluster.checksum(donor, "secret.t"), LocalCluster.checksum(joiner, "secret.t"));
            assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));

            try (HistoryDatabase db = HistoryDatabase.openForReading(joiner.historyDir())) {
                HistoryQueries q = new HistoryQueries(db);
                RunDetail run = q.detail(q.resolveRunId("last"));
                assertEquals("completed", run.summary().outcome());
                List<String> notes = run.notes().stream().map(n -> n.kind() + ": " + n.detail()).toList();
                assertTrue(notes.stream().anyMatch(n -> n.startsWith("backup_cnf_replaced: file_key_management_filename")),
                        "the donor's key file path was replaced by the joiner's own: " + notes);
                assertTrue(notes.stream().anyMatch(n -> n.startsWith("backup_cnf_replaced: plugin_dir=")), notes.toString());
            }
        } finally {
            ClusterFixture.finish(getClass(), cluster);
        }
    }
}
