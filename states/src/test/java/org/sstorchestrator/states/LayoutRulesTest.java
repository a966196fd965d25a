package org.sstorchestrator.states;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.layout.BinlogNames;
import org.sstorchestrator.states.layout.DataDirs;

/**
 * Issue 9: the binary log's names and the InnoDB/Aria directories resolved as the shipped
 * common script resolves them (docs/compatibility.md#the-joiners-layout); the cases marked
 * "verified" are the ones checked against the installed script.
 */
class LayoutRulesTest {

    private static SstArguments args(String role, String... extra) {
        List<String> argv = new ArrayList<>(List.of("--role", role, "--address", "127.0.0.1:4444", "--datadir", "/var/lib/mysql"));
        argv.addAll(List.of(extra));
        return SstArguments.parse(argv.toArray(String[]::new));
    }

    private static BinlogNames binlog(String role, OptionFiles cnf, String... extra) {
        SstArguments a = args(role, extra);
        return BinlogNames.resolve(a, SstConfig.from(cnf, a.role()).serverFiles(), a.role());
    }

    private static DataDirs dirs(String role, OptionFiles cnf, Map<String, String> env, String... extra) {
        SstArguments a = args(role, extra);
        return DataDirs.resolve(a, env, SstConfig.from(cnf, a.role()).serverFiles(), a.role());
    }

    @Test
    void aBareLogBinWithABaseNameAndAnIndexWithoutExtensionInAnotherGroup() {
        // verified: [mysqld] log_bin + log-basename=nodeA + [galera] log-bin-index=/var/idx/myidx
        BinlogNames b = binlog("joiner", StageFixture.options("mysqld.log_bin", "mysqld.log-basename=nodeA",
                "mysqld.log-bin-index=/var/idx/myidx"));
        assertEquals("nodeA-bin", b.name().orElseThrow());
        assertEquals("/var/idx/myidx.index", b.index().orElseThrow());
        assertEquals(Path.of("/var/lib/mysql"), b.files(Path.of("/var/lib/mysql")).orElseThrow().dir());
    }

    @Test
    void anUnnamedIndexFollowsTheBinaryLogOrTheBaseName() {
        // verified: [mariadb] log-bin=/var/lib/binlogs/mysql-bin → its index beside it
        assertEquals("/var/lib/binlogs/mysql-bin.index", binlog("joiner",
                StageFixture.options("mysqld.log-bin=/var/lib/binlogs/mysql-bin")).index().orElseThrow());
        // mysqld's own rule: with a base name the index is <basename>-bin.index, wherever log-bin points
        BinlogNames b = binlog("joiner", StageFixture.options("mysqld.log-bin=/var/lib/binlogs/x", "mysqld.log-basename=nb"));
        assertEquals("/var/lib/binlogs/x", b.name().orElseThrow());
        assertEquals(Path.of("/var/lib/mysql/nb-bin.index"), b.files(Path.of("/var/lib/mysql")).orElseThrow().index());
        // verified: an index with an extension is kept as it is
        assertEquals("other.idx", binlog("joiner", StageFixture.options("mysqld.log-bin=mb", "mysqld.log-bin-index=other.idx"))
                .index().orElseThrow());
        assertEquals("mysql-bin", binlog("joiner", StageFixture.options("mysqld.loose-log-bin=")).name().orElseThrow(),
                "log-bin= with no value turns it on as a bare log-bin does");
    }

    @Test
    void mysqldsArgumentsWinOverMyCnfAndEitherSpellingCounts() {
        OptionFiles cnf = StageFixture.options("mysqld.log-bin=fromcnf", "mysqld.log-basename=cnfbase");
        assertEquals("arg", binlog("joiner", cnf, "--binlog", "arg").name().orElseThrow());
        assertEquals("arg2", binlog("joiner", cnf, "--log-bin", "arg2").name().orElseThrow());
        assertEquals("fromcnf", binlog("joiner", cnf, "--binlog", " ").name().orElseThrow(),
                "mysqld may pass an empty --binlog: then my.cnf's name");
        BinlogNames b = binlog("joiner", cnf, "--binlog", "arg", "--log-bin-index", "/i/idx");
        assertEquals("/i/idx.index", b.index().orElseThrow());
        assertEquals(List.of("--log-bin=arg"), b.backupOptions(), "only what mysqld passed goes to mariadb-backup");
        assertEquals(List.of("--log-bin-index=/i/idx"), b.mysqldArgsPrefix());
    }

    @Test
    void aBareLogBinOnMysqldsCommandLineIsTheBaseNameOrMysqlBin() {
        BinlogNames b = binlog("donor", StageFixture.options(), "--mysqld-args", "--log-bin", "--loose_log_basename=nb",
                "--log-bin-index=ii");
        assertEquals("nb-bin", b.name().orElseThrow());
        // verified: the index and base name go first in --mysqld-args, in that order
        assertEquals(List.of("--log-bin-index=ii", "--log-basename=nb"), b.mysqldArgsPrefix());
        assertEquals(List.of("--log-bin=nb-bin"), b.backupOptions());
        assertEquals("mysql-bin", binlog("donor", StageFixture.options(), "--mysqld-args", "--log_bin").name().orElseThrow());
    }

    @Test
    void theDonorNeverReadsTheBinaryLogFromMyCnf() {
        BinlogNames b = binlog("donor", StageFixture.options("mysqld.log-bin=x", "mysqld.log-basename=nb"));
        assertFalse(b.on());
        assertEquals(List.of(), b.backupOptions());
        assertEquals(List.of(), b.mysqldArgsPrefix());
        assertFalse(binlog("joiner", StageFixture.options("mysqld.skip-log-bin")).on(), "skip-log-bin is another name");
    }

    @Test
    void aDirectoryComesFromTheArgumentThenTheEnvironmentThenMysqldThenMyCnf() {
        OptionFiles cnf = StageFixture.options("mysqld.innodb-data-home-dir=/cnf", "mysqld.innodb-undo-directory=undo/",
                "mysqld.innodb-log-group-home-dir=/cnf-redo", "mysqld.aria-log-dir-path=.");
        Map<String, String> env = Map.of("INNODB_DATA_HOME_DIR", "/env", "INNODB_LOG_GROUP_HOME", " /env-redo/ ");
        DataDirs joiner = dirs("joiner", cnf, env, "--mysqld-args", "--innodb_data_home_dir=/mysqld",
                "--innodb-log-group-home-dir=/mysqld-redo");
        assertEquals(Path.of("/env"), joiner.get(DataDirs.Kind.DATA_HOME).orElseThrow().path());
        assertEquals(Path.of("/env-redo"), joiner.get(DataDirs.Kind.LOG_HOME).orElseThrow().path());
        assertEquals(Path.of("/var/lib/mysql/undo"), joiner.get(DataDirs.Kind.UNDO).orElseThrow().path(),
                "relative to the datadir, trailing slash trimmed");
        assertEquals(List.of(Path.of("/env"), Path.of("/var/lib/mysql/undo"), Path.of("/env-redo")), joiner.separate(),
                "in the stock wipe's order; '.' is the datadir itself");
        assertEquals(List.of("--innodb-data-home-dir=/env", "--innodb-log-group-home-dir=/env-redo"),
                joiner.backupOptions(), "my.cnf's values are mariadb-backup's own business, as stock");

        DataDirs withArgument = dirs("joiner", cnf, env, "--innodb-data-home-dir", "/arg", "--aria-log-dir-path", "/aria");
        assertEquals(List.of("--aria-log-dir-path=/aria", "--innodb-data-home-dir=/arg",
                "--innodb-log-group-home-dir=/env-redo"), withArgument.backupOptions());

        DataDirs donor = dirs("donor", cnf, Map.of(), "--mysqld-args", "--innodb-undo-directory=/u");
        assertEquals(List.of(Path.of("/u")), donor.separate(), "the donor never reads them from my.cnf");
    }
}
