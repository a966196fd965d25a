package org.sstorchestrator.states.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;

class SstArgumentsTest {

    @Test
    void parsesWhatMysqldPassesToTheJoiner() {
        SstArguments a = SstArguments.parse("--role", "joiner", "--address", "127.0.0.1:4444", "--datadir",
                "/var/lib/mysql/", "--defaults-file", "/etc/my.cnf", "--parent", "1234", "--progress", "0",
                "--binlog", "mysql-bin", "--mysqld-args", "--defaults-file=/etc/my.cnf", "--wsrep-new-cluster",
                "--innodb-data-home-dir=/ib", "--log_bin=mysql-bin", "--loose_innodb_undo_directory=/undo", "--port=3307",
                "--basedir=/usr", "--wsrep_start_position=x:1");
        assertEquals(Role.JOINER, a.role());
        assertEquals(Path.of("/var/lib/mysql"), a.datadir());
        assertEquals(1234L, a.parent().value());
        assertEquals(List.of("--defaults-file=/etc/my.cnf"), a.defaultsOptions());
        assertEquals("/ib", a.serverOption("innodb-data-home-dir").orElseThrow());
        assertEquals("/undo", a.serverOption("innodb-undo-directory").orElseThrow());
        assertEquals(List.of("--wsrep-new-cluster", "--basedir=/usr", "--wsrep_start_position=x:1"),
                a.mysqldArgsForBackup(), "as the stock script: defaults and port dropped, the directories and binlog"
                        + " options picked out (each call gets them explicitly), the rest forwarded as mysqld spelled it");
    }

    /** Issue 9: mariadb-backup applies --mysqld-args last, so a forwarded datadir would override prepare's. */
    @Test
    void mysqldsDatadirAndItsShortOptionsNeverReachMariadbBackup() {
        SstArguments a = SstArguments.parse("--role", "joiner", "--mysqld-args", "-h", "/var/lib/mysql", "-uroot", "-P", "3306",
                "-vS/run/mysqld.sock", "--datadir=/other", "--", "--datadir=/kept-after-double-dash");
        assertEquals(Path.of("/other"), a.datadir());
        assertEquals(List.of("-v", "-S", "/run/mysqld.sock", "--", "--datadir=/kept-after-double-dash"),
                a.mysqldArgsForBackup());
    }

    /** Issue 6 item 8: mysqld copies its whole argv here; containers often pass the SST credentials on it. */
    @Test
    void aSecretOnMysqldsCommandLineIsNeverForwardedAndMaskedInTheRecord() {
        String[] argv = {"--role", "joiner", "--datadir", "/d", "--mysqld-args", "--wsrep-sst-auth=sst:S3cr:t@$!x",
                "--wsrep_sst_auth", "sst:S3cr:t@$!x", "--loose-hashicorp-key-management-token=hvs.abc",
                "--file_key_management_filekey=FILE:/k", "--basedir=/usr"};
        SstArguments a = SstArguments.parse(argv);
        assertEquals(List.of("--basedir=/usr"), a.mysqldArgsForBackup(), "mysqld takes the next word as the value");
        List<String> masked = SstArguments.masked(argv);
        assertTrue(masked.stream().noneMatch(w -> w.contains("S3cr") || w.contains("hvs.abc") || w.contains("FILE:/k")),
                masked.toString());
        assertTrue(masked.contains("--wsrep-sst-auth=****") && masked.contains("****"), masked.toString());
    }

    @Test
    void mysqldArgsSwallowTheRestOfTheLine() {
        SstArguments a = SstArguments.parse("--role", "donor", "--mysqld-args", "--role", "joiner");
        assertEquals(Role.DONOR, a.role());
        assertEquals(List.of("--role", "joiner"), a.rawMysqldArgs());
    }

    @Test
    void acceptsNameEqualsValueAndIgnoresUnknownOptions() {
        SstArguments a = SstArguments.parse("--role=donor", "--frobnicate", "7", "--bypass", "--gtid=x:1");
        assertEquals(Role.DONOR, a.role());
        assertTrue(a.flag("bypass"));
        assertEquals("x:1", a.get("gtid").orElseThrow());
    }

    @Test
    void unknownRoleNamesTheValue() {
        SstException e = assertThrows(SstException.class, () -> SstArguments.parse("--role", "observer").role());
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("'observer'"), e.getMessage());
    }

    @Test
    void aValuedOptionAtTheEndWithoutItsValueIsRefused() {
        SstException e = assertThrows(SstException.class, () -> SstArguments.parse("--role"));
        assertTrue(e.getMessage().contains("--role"), e.getMessage());
    }

    @Test
    void parentMustBeAPid() {
        SstException e = assertThrows(SstException.class, () -> SstArguments.parse("--parent", "12;kill").parent());
        assertEquals(ExitCode.EINVAL, e.code());
    }
}
