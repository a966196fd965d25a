package org.sstorchestrator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.ClusterRow;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.NewRun;

/** A run's row for the cluster, composed from a real history as an SST records it. */
class ClusterRowsTest {

    private static final String RUN = "a1a1a1a1-0000-4000-8000-000000000001";
    private static final String DIED = "a2a2a2a2-0000-4000-8000-000000000002";

    @TempDir
    Path tmp;

    @Test
    void aFailedJoinerCarriesItsStagesWireVersionsAndErrorLine() throws Exception {
        Path dir = tmp.resolve("history");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            long[] now = {1_000L};
            H2RunJournal j = new H2RunJournal(db, () -> now[0] += 100);
            j.runStarted(new NewRun(RUN, "joiner", "/var/lib/mysql", null, Long.MAX_VALUE / 2, null, "0.1.0", 1_000L));
            j.attribute(RUN, "method", "mariabackup_sm");
            j.attribute(RUN, "peer", "127.0.0.1:41234");
            j.attribute(RUN, "peer_run", "d1d1d1d1-0000-4000-8000-000000000001");
            j.attribute(RUN, "security", "TLS encrypt=4 ssl-mode=VERIFY_IDENTITY");
            j.attribute(RUN, "tls.backup", "TLSv1.3 TLS_AES_256_GCM_SHA384");
            for (String s : new String[] {"preflight", "receive_stream"}) {
                j.stageStarted(RUN, s);
                j.stageCompleted(RUN, s, "ok");
            }
            j.transfer(RUN, "receive_stream", "backup", 4096, 1_300L, 1_400L, true);
            j.stageStarted(RUN, "prepare");
            Path logs = dir.resolve("logs").resolve(RUN);
            Files.createDirectories(logs);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(logs.resolve("01-prepare-mariabackup.prepare.log.gz")))) {
                out.write(("/usr/bin/mariadb-backup based on MariaDB server 10.11.19-MariaDB debian-linux-gnu (x86_64)\n"
                        + "[00] 2026-11-30 04:07:05 cd to /var/lib/mysql/.sst/\n").getBytes(StandardCharsets.UTF_8));
            }
            j.runLog(RUN, "prepare", "/var/lib/mysql/mariabackup.prepare.log", "01-prepare-mariabackup.prepare.log.gz", 120);
            j.stageFailed(RUN, "prepare", 22, "mariadb-backup --prepare exited with 1");
            j.runEnded(RUN, false, 22, "mariadb-backup --prepare exited with 1");
            ClusterRow r = ClusterRows.of(new HistoryQueries(db).detail(RUN), dir);
            assertEquals("joiner", r.role());
            assertEquals("d1d1d1d1-0000-4000-8000-000000000001", r.peerRunId());
            assertEquals("mariabackup_sm", r.method());
            assertEquals("10.11.19-MariaDB", r.backupVersion());
            assertEquals("failed", r.outcome());
            assertEquals(22, r.exitCode());
            assertEquals("EINVAL: " + org.sstorchestrator.states.ExitCode.EINVAL.meaning(), r.exitMeaning());
            assertEquals("prepare", r.lastStage());
            assertEquals(4096, r.bytes());
            assertEquals("preflight=100 receive_stream=100 prepare=200", r.stageMs());
            assertEquals("TLS encrypt=4 ssl-mode=VERIFY_IDENTITY; backup: TLSv1.3 TLS_AES_256_GCM_SHA384", r.wire());
            assertEquals("prepare: mariadb-backup --prepare exited with 1", r.error());
            assertNull(r.nodeName(), "the node's name is its server's answer, given when the row is published");
        }
    }

    @Test
    void anInterruptedRunSaysWhereItDiedAndHasNoExitCode() {
        Path dir = tmp.resolve("history");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(dir)) {
            H2RunJournal j = new H2RunJournal(db, () -> 2_000L);
            j.runStarted(new NewRun(DIED, "joiner", "/var/lib/mysql", null, Long.MAX_VALUE / 2, null, "0.1.0", 1_000L));
            j.stageStarted(DIED, "receive_stream");
            ClusterRow r = ClusterRows.of(new HistoryQueries(db).detail(DIED), dir);
            assertEquals("interrupted", r.outcome());
            assertNull(r.exitCode());
            assertEquals("receive_stream=?", r.stageMs());
            assertEquals("interrupted at receive_stream: the process died without recording an end", r.error());
            assertNull(r.backupVersion());
            assertNull(r.wire(), "a history from before issue 8 says nothing of the wire");
        }
    }
}
