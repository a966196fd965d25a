package org.sstorchestrator.states;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.config.Encrypt;
import org.sstorchestrator.states.config.HistoryLocation;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.SstConfig;

class ConfigTest {

    private static OptionFiles cnf(String... groupKeyValue) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : groupKeyValue) {
            String[] p = s.split("[.=]", 3);
            g.computeIfAbsent(p[0], k -> new HashMap<>()).put(p[1], p[2]);
        }
        return new OptionFiles(g);
    }

    @Test
    void defaultsMatchTheStockScript() {
        SstConfig c = SstConfig.from(cnf());
        assertEquals(Duration.ofSeconds(300), c.initialTimeout());
        assertTrue(c.keepPattern().matcher("/var/lib/mysql/grastate.dat").matches());
        assertTrue(c.keepPattern().matcher("/var/lib/mysql/galera.cache").matches());
        assertTrue(!c.keepPattern().matcher("/var/lib/mysql/ibdata1").matches());
    }

    @Test
    void firstGroupWithTheOptionWinsAndUnderscoresFold() {
        OptionFiles o = cnf("mysqld.tmpdir=/a", "sst.tmpdir=/b");
        assertEquals("/a", o.get(java.util.List.of("mysqld", "sst"), "tmpdir").orElseThrow());
        assertEquals(Duration.ofSeconds(9), SstConfig.from(cnf("sst.sst-initial-timeout=9")).initialTimeout());
    }

    @Test
    void aWrongTypeNamesTheSettingAndTheValue() {
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf("sst.sst-initial-timeout=soon")));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("[sst] sst-initial-timeout = 'soon'"), e.getMessage());
    }

    @Test
    void theSpaceReserveIsASizeWithAnOptionalUnitAndABadOneNamesTheSetting() {
        assertEquals(0, SstConfig.from(cnf()).spaceReserve());
        assertEquals(512L << 20, SstConfig.from(cnf("sst.sst-space-reserve=512M")).spaceReserve());
        assertEquals(2L << 30, SstConfig.from(cnf("sst.sst-space-reserve=2g")).spaceReserve());
        assertEquals(4096, SstConfig.from(cnf("sst.sst-space-reserve=4096")).spaceReserve());
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf("sst.sst-space-reserve=1.5G")));
        assertTrue(e.getMessage().contains("[sst] sst-space-reserve") && e.getMessage().contains("'1.5G'"), e.getMessage());
        assertEquals(ExitCode.EINVAL, e.code());
    }

    @Test
    void logCopyIntervalIsMillisecondsFromTheBackupGroupsAndABadOneNamesTheSetting() {
        assertTrue(SstConfig.from(cnf()).logCopyInterval().isEmpty());
        assertEquals(200, SstConfig.from(cnf("xtrabackup.log-copy-interval=200")).logCopyInterval().orElseThrow());
        assertEquals(100, SstConfig.from(cnf("sst.log-copy-interval=100", "mariabackup.log-copy-interval=300"))
                .logCopyInterval().orElseThrow());
        for (String bad : new String[] {"0", "60001", "1s", "-5"}) {
            SstException e = assertThrows(SstException.class,
                    () -> SstConfig.from(cnf("mariabackup.log-copy-interval=" + bad)), bad);
            assertEquals(ExitCode.EINVAL, e.code());
            assertTrue(e.getMessage().contains("log-copy-interval") && e.getMessage().contains("'" + bad + "'"),
                    e.getMessage());
        }
    }

    @Test
    void aSetButUnimplementedOptionIsRefusedNotIgnored() {
        for (String set : new String[] {"sst.sockopt=,cipher=x", "sst.streamfmt=tar"}) {
            SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf(set)), set);
            assertEquals(ExitCode.EINVAL, e.code(), set);
        }
    }

    @Test
    void tlsAskedForIsNeverDowngradedToCleartext() {
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf("sst.ssl-mode=VERIFY_CA")));
        assertTrue(e.getMessage().startsWith("ssl-mode is set to 'VERIFY_CA', but no usable SSL certificate and key"),
                e.getMessage());
        assertEquals(ExitCode.EINVAL, e.code());
        assertEquals(ExitCode.EINVAL, assertThrows(SstException.class,
                () -> SstConfig.from(cnf("sst.ssl-mode=SOMETIMES"))).code());
        assertEquals(ExitCode.EINVAL, assertThrows(SstException.class, () -> SstConfig.from(cnf("mysqld.encrypt=4")))
                .code(), "encrypt=4 without its files");
    }

    @Test
    void tlsAndStreamEncryptionAreTypedConfiguration() {
        SstConfig c = SstConfig.from(cnf("mysqld.encrypt=4", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem",
                "sst.ssl-ca=/ca.pem"), Role.DONOR);
        assertEquals(Encrypt.TLS_KEY_CERT_AND_CA, c.tls().encrypt());
        assertTrue(c.streamEncryption().isEmpty());
        SstConfig e = SstConfig.from(cnf("sst.encrypt=1", "sst.encrypt-algo=aes-256-cbc", "sst.encrypt-key=k3y"));
        assertEquals("aes-256-cbc", e.streamEncryption().orElseThrow().algorithm());
        assertTrue(!e.toString().contains("k3y"), "the passphrase is masked: " + e);
    }

    @Test
    void serverSslOptionsAloneDoNotTurnOnSstTls() {
        SstConfig.from(cnf("mysqld.ssl-cert=/etc/cert.pem", "mysqld.ssl-key=/etc/key.pem"));
    }

    @Test
    void cpatInFindSyntaxBecomesAJavaRegexOrAClearError() {
        assertTrue(SstConfig.from(cnf("sst.cpat=.*\\.keep$\\|.*other$")).keepPattern().matcher("/d/x.keep").matches());
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf("sst.cpat=(unclosed")));
        assertTrue(e.getMessage().contains("[sst] cpat"), e.getMessage());
    }

    @Test
    void historyLivesOutsideTheDatadirUnlessConfigured() {
        assertEquals(Path.of("/var/lib/sst-orchestrator/var_lib_mysql"),
                HistoryLocation.resolve(Optional.empty(), Path.of("/var/lib/mysql/"), null));
        assertEquals(Path.of("/h"), HistoryLocation.resolve(Optional.of(Path.of("/h")), Path.of("/d"), "/x"));
        assertEquals(Path.of("/x/d"), HistoryLocation.resolve(Optional.empty(), Path.of("/d"), "/x"));
    }

    @Test
    void myPrintDefaultsOutputIsParsedLastOccurrenceWins() throws Exception {
        java.lang.reflect.Method parse = OptionFiles.class.getDeclaredMethod("parse", String.class);
        parse.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, String> m = (Map<String, String>) parse.invoke(null,
                "--sst_initial_timeout=10\n--loose-cpat=x\n--sst-initial-timeout=20\n--skip-flag\n");
        assertEquals("20", m.get("sst-initial-timeout"));
        assertEquals("x", m.get("cpat"));
        assertEquals("", m.get("skip-flag"));
    }

    /** Issue 8/9: the stock script asks my_print_defaults --mysqld: every server group counts. */
    @Test
    void anOptionInAnyServerGroupCountsAndTlsAskedForThereIsRefusedNotIgnored() {
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf("mysqld.encrypt=4")));
        assertTrue(e.getMessage().contains("encrypt"), e.getMessage());
    }

    @Test
    void anEmptyValueIsUnsetAndTheNextGroupOrTheDefaultApplies() {
        assertEquals(Duration.ofSeconds(300), SstConfig.from(cnf("sst.sst-initial-timeout=")).initialTimeout());
        assertEquals(Path.of("/b"), SstConfig.from(cnf("mysqld.tmpdir=", "sst.tmpdir=/b")).tmpdir().orElseThrow());
        assertTrue(SstConfig.from(cnf("sst.cpat=")).keepPattern().matcher("/d/grastate.dat").matches(),
                "an empty cpat is the default, not 'keep nothing'");
    }

    @Test
    void serverGroupsComeFirstForTheEncryptionGroupOptionsAsInTheStockScript() {
        assertEquals(Path.of("/var/tmp"), SstConfig.from(cnf("mysqld.tmpdir=/var/tmp/", "sst.tmpdir=/b")).tmpdir().orElseThrow());
        assertEquals(4, SstConfig.from(cnf("sst.backup-threads=2", "mysqld.backup-threads=4")).backupThreads().orElseThrow());
    }

    @Test
    void innoOptionsComeFromTheBackupGroupsAndSplitAsAShellSplitsWithoutRunningOne() {
        SstConfig c = SstConfig.from(cnf("mariabackup.inno-backup-opts=--ftwrl-wait-timeout=30  --kill-long-query-type='all'"
                + " --x=\"a b\" $(reboot)"));
        assertEquals(java.util.List.of("--ftwrl-wait-timeout=30", "--kill-long-query-type=all", "--x=a b", "$(reboot)"),
                c.backupOptions());
        assertEquals("1G", SstConfig.from(cnf("xtrabackup.use-memory=1G", "mysqld.innodb-buffer-pool-size=2G"))
                .useMemory().orElseThrow());
        assertEquals("2G", SstConfig.from(cnf("mysqld.innodb-buffer-pool-size=2G")).serverBufferPool().orElseThrow());
    }

    @Test
    void whereTheStockScriptWarnsAndGoesOnSoDoWe() {
        assertTrue(SstConfig.from(cnf("sst.sst-special-dirs=0")).notices().contains(
                org.sstorchestrator.states.stock.StockLine.SPECIAL_DIRS.with()), "the stock line, at its level (ERROR)");
        SstConfig c = SstConfig.from(cnf("sst.sst-log-archive=on", "sst.transferfmt=anything", "sst.time=2"));
        assertTrue(!c.logArchive(), "only 1 archives, as stock");
        assertTrue(SstConfig.from(cnf("sst.encrypt-key=k")).notices().stream()
                .anyMatch(n -> n.text().startsWith("Options for encryption are")));
    }

    @Test
    void compressIsTheDonorsBusinessAndUseExtraNeedsAnExtraPort() {
        // a shared my.cnf: the joiner does not read it, the donor passes it to mariadb-backup (issue 10)
        assertEquals(java.util.List.of(), SstConfig.from(cnf("mysqld.compress=quicklz"), Role.JOINER).stream()
                .backupCompression());
        assertEquals(java.util.List.of("--compress-chunk-size=128K", "--compress-threads=2", "--compress=quicklz"),
                SstConfig.from(cnf("mysqld.compress=quicklz", "sst.compress-threads=2", "mariabackup.compress-chunk-size=128K"),
                        Role.DONOR).stream().backupCompression());
        assertEquals(4568, SstConfig.from(cnf("sst.use-extra=1", "mysqld.thread-handling=pool-of-threads",
                "mysqld.extra-port=4568"), Role.DONOR).extraPort().orElseThrow());
        assertTrue(SstConfig.from(cnf("sst.use-extra=1"), Role.DONOR).extraPort().isEmpty());
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf("sst.use-extra=1",
                "mysqld.thread-handling=pool-of-threads"), Role.DONOR));
        assertEquals(ExitCode.GENERIC, e.code(), "the stock script exits 1 here");
    }

    /** Issue 22: the SST runs from whatever directory mysqld has; a relative metrics directory would be anywhere. */
    @Test
    void theMetricsDirectoryIsAnAbsolutePathAndARelativeOneNamesTheSetting() {
        assertTrue(SstConfig.from(cnf()).metricsDir().isEmpty());
        assertEquals(java.nio.file.Path.of("/var/lib/prometheus/node-exporter"),
                SstConfig.from(cnf("sst.metrics-dir=/var/lib/prometheus/node-exporter/")).metricsDir().orElseThrow());
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf("sst.metrics-dir=node-exporter")));
        assertEquals(ExitCode.EINVAL, e.code());
        assertEquals("[sst] metrics-dir = 'node-exporter' is invalid: expected an absolute directory, such as"
                + " /var/lib/prometheus/node-exporter", e.getMessage());
    }
}
