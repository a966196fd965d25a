package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.StageFixture;

/** binlog_move: the binary logs the donor sent go to this node's binlog directory and index. */
class MoveBinlogsTest {

    @TempDir
    Path tmp;
    private StageFixture f;
    private Path sst;
    private Path binlogs;

    @BeforeEach
    void aPreparedBackupWithBinlogs() throws Exception {
        f = new StageFixture(tmp);
        sst = f.datadir.resolve(".sst");
        binlogs = tmp.resolve("binlogs");
        for (String name : List.of("mysql-bin.000002", "mysql-bin.000003", "ibdata1")) {
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
    void withBinaryLoggingOffNothingMoves() throws Exception {
        List<String> before = StageFixture.list(f.datadir);

        assertEquals(Stage.OK, new MoveBinlogs().run(joiner()));

        assertEquals(before, StageFixture.list(f.datadir));
        assertFalse(Files.exists(binlogs));
    }

    @Test
    void theBinlogsNamedInTheBackupsBinlogInfoMoveAndAreListedInTheIndex() throws Exception {
        f.write(sst.resolve("xtrabackup_binlog_info"), "mysql-bin.000003\t1234\t0-1-5\n");

        assertEquals(Stage.OK, new MoveBinlogs().run(withBinlog()));

        assertEquals(List.of("mysql-bin.000003", "mysql-bin.index"), StageFixture.list(binlogs));
        assertEquals("contents of mysql-bin.000003", Files.readString(binlogs.resolve("mysql-bin.000003")));
        assertEquals(binlogs.resolve("mysql-bin.000003") + "\n", Files.readString(binlogs.resolve("mysql-bin.index")));
        assertEquals(List.of("ibdata1", "mysql-bin.000002", "xtrabackup_binlog_info"), StageFixture.list(sst));
        assertEquals("1", f.recorder.attributes.get("binlogs_moved"));
    }

    @Test
    void withoutABinlogInfoEveryBinlogOfTheBackupMovesInOrder() throws Exception {
        Path index = tmp.resolve("index/binlog.index");

        new MoveBinlogs().run(joiner("--binlog", binlogs.resolve("mysql-bin").toString(), "--binlog-index", index.toString()));

        assertEquals(List.of("mysql-bin.000002", "mysql-bin.000003"), StageFixture.list(binlogs));
        assertEquals(binlogs.resolve("mysql-bin.000002") + "\n" + binlogs.resolve("mysql-bin.000003") + "\n",
                Files.readString(index));
        assertEquals("2", f.recorder.attributes.get("binlogs_moved"));
    }

    @Test
    void aBinlogInfoNamingAPathFromTheStreamMovesNothingOutOfDotSst() throws Exception {
        f.write(sst.resolve("xtrabackup_binlog_info"), "../../etc/passwd\t4\nsub/mysql-bin.000002\t4\n");
        f.write(tmp.resolve("etc/passwd"), "root:x:0:0");

        new MoveBinlogs().run(withBinlog());

        assertEquals(List.of(), StageFixture.list(binlogs).stream().filter(n -> !n.equals("mysql-bin.index")).toList());
        assertEquals("0", f.recorder.attributes.get("binlogs_moved"));
        assertEquals("root:x:0:0", Files.readString(tmp.resolve("etc/passwd")));
    }
}
