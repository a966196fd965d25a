package org.sstorchestrator.states.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

class ClusterHistoryTableTest {

    private static OptionFiles sst(String value) {
        return new OptionFiles(Map.of("sst", Map.of("cluster-history", value)));
    }

    @Test
    void isOffUnlessTheOptionNamesATable() {
        assertEquals(Optional.empty(), SstConfig.from(new OptionFiles(Map.of())).clusterHistory());
        assertEquals(Optional.empty(), SstConfig.from(sst("")).clusterHistory(), "an empty value counts as unset");
        assertEquals(Optional.of(new ClusterHistoryTable("sst_orchestrator", "history")),
                SstConfig.from(sst("sst_orchestrator.history")).clusterHistory());
    }

    @ParameterizedTest
    @ValueSource(strings = {"history", "a.b.c", "sst-orchestrator.history", "`x`.y", "s.t;DROP TABLE t", ".t", "s.",
            "s.a_table_name_so_long_that_its_schema_history_would_not_fit_64"})
    void aValueThatIsNotSchemaDotTableRefusesTheRunNamingTheOption(String value) {
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(sst(value)));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("[sst] cluster-history '" + value + "'"), e.getMessage());
    }

    @Test
    void theGrantNamesTheSchemaAndTheAccount() {
        assertEquals("GRANT SELECT, INSERT, UPDATE, CREATE, ALTER ON sst_orchestrator.* TO 'sst'@'localhost'",
                new ClusterHistoryTable("sst_orchestrator", "history").grant("'sst'@'localhost'"));
    }

    @Test
    void missingPrivilegesAreThoseNoGrantOnTheTableItsSchemaOrEverythingGives() {
        ClusterHistoryTable t = new ClusterHistoryTable("sst_orchestrator", "history");
        String base = "GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO `sst`@`localhost` IDENTIFIED BY PASSWORD '*X'";
        assertEquals(List.of("SELECT", "INSERT", "UPDATE", "CREATE", "ALTER"), t.missing(List.of(base)));
        assertEquals(List.of(), t.missing(List.of(base,
                "GRANT SELECT, INSERT, UPDATE, CREATE, ALTER ON `sst_orchestrator`.* TO `sst`@`localhost`")));
        assertEquals(List.of(), t.missing(List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION")));
        assertEquals(List.of("CREATE", "ALTER"), t.missing(List.of(
                "GRANT SELECT, INSERT, UPDATE ON `sst_orchestrator`.`history` TO `sst`@`localhost`")));
        assertEquals(List.of("SELECT", "INSERT", "UPDATE", "CREATE", "ALTER"), t.missing(List.of(
                "GRANT ALL PRIVILEGES ON `other`.* TO `sst`@`localhost`")), "another schema gives nothing here");
        assertEquals(List.of("INSERT", "CREATE", "ALTER"), t.missing(List.of(
                "GRANT SELECT, INSERT (run_id), UPDATE ON `sst_orchestrator`.`history` TO `sst`@`localhost`")),
                "a column list is not the whole table");
    }
}
