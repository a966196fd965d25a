package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.run.SstContext;

/**
 * drop_binlogs, MDEV-38147 as 10.11.19: the binary logs the donor sent are removed from .sst,
 * never installed in the joiner's binlog directory or index (installed, they fail the next IST
 * under gtid_strict_mode with error 1950).
 */
class DropBinlogsTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private Path sst;
    private Path binlogs;

    @BeforeEach
    void aPreparedBackupWithBinlogs() throws Exception {
        sst = f.datadir.resolve(".sst");
        binlogs = f.root.resolve("binlogs");
        for (String name : List.of("mysql-bin.000002", "mysql-bin.000003", "mysql-bin.index", "ibdata1", "db/t.ibd")) {
            f.write(sst.resolve(name), "contents of " + name);
        }
    }

    private SstContext joiner(String... extra) {
        SstContext ctx = f.joiner(extra);
        ctx.facts().put(new Received());
        return ctx;
    }

    private SstContext withBinlog() {
        return joiner("--binlog", binlogs.resolve("mysql-bin").toString());
    }

    @Test
    void withBinaryLoggingOffNothingIsTouched() throws Exception {
        List<String> before = StageFixture.list(f.datadir);

        assertEquals(Stage.OK, new DropBinlogs().run(joiner()));

        assertEquals(before, StageFixture.list(f.datadir));
        assertFalse(Files.exists(binlogs));
    }

    @Test
    void theBinlogsNamedInTheBackupsBinlogInfoAreRemovedAndNothingIsInstalledOrIndexed() throws Exception {
        f.write(sst.resolve("xtrabackup_binlog_info"), "mysql-bin.000003\t1234\t0-1-5\n");

        assertEquals(Stage.OK, new DropBinlogs().run(withBinlog()));

        assertEquals(List.of("db", "db/t.ibd", "ibdata1", "mysql-bin.000002", "mysql-bin.index", "xtrabackup_binlog_info"),
                StageFixture.list(sst), "only what the info file names");
        assertFalse(Files.exists(binlogs), "nothing installed, no index written");
        assertEquals("1", f.recorder.attributes.get("binlogs_dropped"));
    }

    @Test
    void withoutABinlogInfoEveryBinlogOfTheJoinersBaseNameIsRemoved() throws Exception {
        assertEquals(Stage.OK, new DropBinlogs().run(withBinlog()));

        assertEquals(List.of("db", "db/t.ibd", "ibdata1", "mysql-bin.index"), StageFixture.list(sst));
        assertEquals("2", f.recorder.attributes.get("binlogs_dropped"));
    }

    @Test
    void aBareLogBinInMyCnfIsMysqlBinAsStock() throws Exception {
        f.option("mysqld", "log-bin", "");

        new DropBinlogs().run(joiner());

        assertEquals(List.of("db", "db/t.ibd", "ibdata1", "mysql-bin.index"), StageFixture.list(sst));
    }

    @Test
    void aBinlogInfoNamingAPathFromTheStreamRemovesNothingOutsideDotSst() throws Exception {
        f.write(sst.resolve("xtrabackup_binlog_info"), "../../etc/passwd\t4\ndb/t.ibd\t4\n");
        f.write(f.root.resolve("etc/passwd"), "root:x:0:0");

        new DropBinlogs().run(withBinlog());

        assertEquals("0", f.recorder.attributes.get("binlogs_dropped"));
        assertEquals("root:x:0:0", Files.readString(f.root.resolve("etc/passwd")));
        assertEquals("contents of db/t.ibd", Files.readString(sst.resolve("db/t.ibd")));
    }

    @Test
    void runningItAgainFindsNothingMore() throws Exception {
        new DropBinlogs().run(withBinlog());
        new DropBinlogs().run(withBinlog());

        assertEquals("0", f.recorder.attributes.get("binlogs_dropped"));
    }
}
