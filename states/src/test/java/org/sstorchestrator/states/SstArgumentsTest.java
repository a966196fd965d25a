package org.sstorchestrator.states;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SstArgumentsTest {

    @Test
    void parsesWhatMysqldPassesToTheJoiner() {
        SstArguments a = SstArguments.parse("--role", "joiner", "--address", "127.0.0.1:4444", "--datadir",
                "/var/lib/mysql/", "--defaults-file", "/etc/my.cnf", "--parent", "1234", "--progress", "0",
                "--binlog", "mysql-bin", "--mysqld-args", "--defaults-file=/etc/my.cnf", "--wsrep-new-cluster",
                "--innodb-data-home-dir=/ib", "--log_bin=mysql-bin", "--loose-innodb-undo-directory", "/undo", "--port=3307");
        assertEquals(Role.JOINER, a.role());
        assertEquals(Path.of("/var/lib/mysql"), a.datadir());
        assertEquals(1234L, a.parent().value());
        assertEquals(List.of("--defaults-file=/etc/my.cnf"), a.defaultsOptions());
        assertEquals("/ib", a.serverOption("innodb-data-home-dir").orElseThrow());
        assertEquals("/undo", a.serverOption("innodb-undo-directory").orElseThrow());
        assertEquals(List.of("--innodb-data-home-dir=/ib", "--log-bin=mysql-bin", "--innodb-undo-directory=/undo"),
                a.mysqldArgsForBackup(), "defaults, port and --wsrep-new-cluster are dropped");
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
