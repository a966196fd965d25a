package org.sstorchestrator.states.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.stock.StockLine;

/**
 * encrypt, ssl-mode and the TLS files, resolved per role as the stock script resolves them
 * (docs/wire-protocol.md#tls), with its words where it refuses (issue 8).
 * "mysqld" stands for every server group (my_print_defaults --mysqld: [galera], [mariadb] ...).
 */
class TlsSettingsTest {

    @TempDir
    Path dir;

    static OptionFiles cnf(String... groupKeyValue) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : groupKeyValue) {
            String[] p = s.split("[.=]", 3);
            g.computeIfAbsent(p[0], k -> new HashMap<>()).put(p[1], p[2]);
        }
        return new OptionFiles(g);
    }

    private static TlsSettings joiner(String... s) {
        return TlsSettings.resolve(cnf(s), Role.JOINER);
    }

    private static TlsSettings donor(String... s) {
        return TlsSettings.resolve(cnf(s), Role.DONOR);
    }

    private static String path(Optional<TlsSettings.Setting> s) {
        return s.map(x -> x.path().toString()).orElse("");
    }

    private static SstException refused(String... s) {
        return assertThrows(SstException.class, () -> joiner(s));
    }

    /**
     * Issue 19: MTR_SST_SIMULATE_NO_SSL_CERT, as the installed script honours it: the
     * certificate and key it read are treated as absent, so each TLS mode fails closed with the
     * stock words; encrypt=1 and a DISABLED ssl-mode are not touched by it.
     */
    @Test
    void theSimulatedMissingCertificateMakesEveryTlsModeFailClosedWithTheStockWords() {
        String[] required = {"sst.ssl-mode=REQUIRED", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem", "sst.ssl-ca=/ca.pem"};
        SstException e = assertThrows(SstException.class, () -> TlsSettings.resolve(cnf(required), Role.JOINER, true));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().startsWith("ssl-mode is set to 'REQUIRED', but no usable SSL certificate and key were"
                + " found. Cannot perform an encrypted transfer. Please configure ssl-cert and ssl-key, or set ssl-mode"
                + " to DISABLED. (MTR_SST_SIMULATE_NO_SSL_CERT is set"), e.getMessage());
        assertEquals(Encrypt.TLS_KEY_AND_CERT, TlsSettings.resolve(cnf(required), Role.JOINER, false).encrypt(), "without the hook: TLS");

        String[] four = {"sst.encrypt=4", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem", "sst.ssl-ca=/ca.pem"};
        e = assertThrows(SstException.class, () -> TlsSettings.resolve(cnf(four), Role.DONOR, true));
        assertTrue(e.getMessage().startsWith("Both the certificate file (or path) and the key file are required"),
                e.getMessage());
        String[] two = {"sst.encrypt=2", "sst.ssl-cert=/c.pem", "sst.ssl-ca=/ca.pem"};
        e = assertThrows(SstException.class, () -> TlsSettings.resolve(cnf(two), Role.JOINER, true));
        assertTrue(e.getMessage().startsWith("Both PEM file and CRT file (or path) are required"), e.getMessage());

        assertEquals(Encrypt.OPENSSL_ENC, TlsSettings.resolve(cnf("sst.encrypt=1", "sst.ssl-cert=/c.pem"), Role.JOINER, true).encrypt());
        assertEquals(Encrypt.NONE, TlsSettings.resolve(cnf("sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem"), Role.JOINER, true).encrypt());
    }

    @Test
    void serverSslOptionsAloneDoNotTurnOnSstTls() {
        TlsSettings t = joiner("mysqld.ssl-cert=/c.pem", "mysqld.ssl-key=/k.pem", "mysqld.ssl-ca=/ca.pem");
        assertEquals(Encrypt.NONE, t.encrypt());
        assertFalse(t.tls());
        assertTrue(t.cert().isEmpty(), "not even read, as stock");
    }

    @Test
    void encryptInAServerGroupSuchAsGaleraBeatsTheSstGroup() {
        TlsSettings t = joiner("mysqld.encrypt=4", "sst.encrypt=3", "mysqld.ssl-cert=/c.pem", "mysqld.ssl-key=/k.pem",
                "sst.ssl-ca=/ca.pem");
        assertEquals(Encrypt.TLS_KEY_CERT_AND_CA, t.encrypt());
        assertEquals("/ca.pem", path(t.ca()));
        assertEquals("ssl-ca", t.ca().get().name());
    }

    @Test
    void anEmptyValueCountsAsUnsetAndTheNextGroupDecides() {
        TlsSettings t = joiner("mysqld.ssl-mode=", "sst.ssl-mode=verify_ca", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem",
                "sst.ssl-ca=/ca.pem");
        assertEquals(SslMode.VERIFY_CA, t.mode());
        assertEquals(Encrypt.TLS_KEY_AND_CERT, t.encrypt(), "an ssl-mode with a cert and key turns on encrypt=3");
        assertEquals("/ca.pem", path(t.ca()), "VERIFY_* keeps the CA");
    }

    @Test
    void requiredTurnsOnTlsWithoutTheCaSoNobodyIsVerified() {
        java.util.List<StockLine.Printed> infos = new java.util.ArrayList<>();
        TlsSettings t = TlsSettings.resolve(cnf("sst.ssl-mode=REQUIRED", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem",
                "sst.ssl-ca=/ca.pem"), Role.JOINER, false, infos);
        assertEquals(Encrypt.TLS_KEY_AND_CERT, t.encrypt());
        assertFalse(t.verifiesPeer());
        assertTrue(t.ca().isEmpty() && t.capath().isEmpty());
        assertEquals("SSL configuration: CA='', CAPATH='', CERT='/c.pem', KEY='/k.pem', MODE='REQUIRED', encrypt='3'",
                infos.get(0).text());
    }

    @Test
    void anSslModeWithoutCertAndKeyIsTheStockFatalError() {
        SstException e = refused("sst.ssl-mode=REQUIRED", "sst.ssl-cert=/c.pem");
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().startsWith("ssl-mode is set to 'REQUIRED', but no usable SSL certificate and key were"
                + " found. Cannot perform an encrypted transfer. Please configure ssl-cert and ssl-key, or set ssl-mode to"
                + " DISABLED."), e.getMessage());
        assertTrue(e.getMessage().contains("no ssl-key/ssl-server-key"), e.getMessage());
    }

    @Test
    void eachLevelNeedsWhatTheStockScriptNeedsWithItsWords() {
        assertTrue(refused("sst.encrypt=2", "sst.ssl-cert=/c.pem").getMessage()
                .startsWith("Both PEM file and CRT file (or path) are required"));
        assertTrue(refused("sst.encrypt=3", "sst.ssl-cert=/c.pem", "sst.ssl-ca=/ca.pem").getMessage()
                .startsWith("Both the certificate file (or path) and the key file are required"));
        SstException e = refused("sst.encrypt=4", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem");
        assertTrue(e.getMessage().startsWith("Peer certificate file (or path) required if encrypt=4"), e.getMessage());
        assertTrue(e.getMessage().contains("ssl-ca"), "it names what to set: " + e.getMessage());
        assertEquals(ExitCode.EINVAL, e.code());
        assertEquals(Encrypt.TLS_PEM_AND_CA, joiner("sst.encrypt=2", "sst.ssl-cert=/c.pem", "sst.ssl-ca=/ca.pem").encrypt());
    }

    @Test
    void encrypt3WithoutACaRunsUnverifiedAsStockWithAWarning() {
        TlsSettings t = donor("sst.encrypt=3", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem");
        assertFalse(t.verifiesPeer());
        assertTrue(t.warnings().get(0).contains("neither node verifies"), t.warnings().toString());
    }

    @Test
    void aVerifyModeWithNoCaIsRefusedWhereStockWouldSilentlyVerifyNothing() {
        SstException e = refused("sst.ssl-mode=VERIFY_IDENTITY", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem");
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("no ssl-ca or ssl-capath"), e.getMessage());
        assertThrows(SstException.class, () -> joiner("sst.encrypt=3", "sst.ssl-mode=VERIFY_CA", "sst.ssl-cert=/c.pem",
                "sst.ssl-key=/k.pem"));
    }

    @Test
    void unknownModesAndLevelsAreTheStockLines() {
        SstException m = refused("sst.ssl-mode=sometimes");
        assertTrue(m.getMessage().startsWith("Unrecognized ssl-mode option: 'SOMETIMES'"), m.getMessage());
        SstException e = refused("sst.encrypt=yes");
        assertTrue(e.getMessage().startsWith("Unknown encryption mode: encrypt=yes"), e.getMessage());
        assertEquals(ExitCode.EINVAL, refused("sst.encrypt=5").code());
    }

    @Test
    void anyLegacyOptionReplacesAllFourNewOnesWithTheStockNote() {
        java.util.List<StockLine.Printed> infos = new java.util.ArrayList<>();
        TlsSettings t = TlsSettings.resolve(cnf("sst.encrypt=3", "sst.tcert=/legacy/c.pem", "sst.tkey=/legacy/k.pem",
                "mysqld.ssl-cert=/c.pem", "mysqld.ssl-key=/k.pem", "mysqld.ssl-ca=/ca.pem"), Role.JOINER, false, infos);
        assertEquals("/legacy/c.pem", path(t.cert()));
        assertEquals("[sst] tcert", t.cert().get().name());
        assertTrue(t.ca().isEmpty(), "ssl-ca is ignored too, although tca is not set");
        assertEquals(StockLine.SSL_OPTIONS_IGNORED, infos.get(0).line(), infos.toString());
    }

    @Test
    void roleSpecificSettingsOverrideForTheirRoleOnly() {
        String[] cnf = {"sst.encrypt=4", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem", "sst.ssl-ca=/ca.pem",
            "sst.ssl-server-cert=/server.pem", "sst.ssl-server-key=/server.key", "mysqld.ssl-client-ca=/client-ca.pem"};
        TlsSettings j = joiner(cnf);
        assertEquals("/server.pem", path(j.cert()));
        assertEquals("ssl-server-cert", j.cert().get().name());
        assertEquals("/server.key", path(j.key()));
        assertEquals("/ca.pem", path(j.ca()));
        TlsSettings d = donor(cnf);
        assertEquals("/c.pem", path(d.cert()));
        assertEquals("/client-ca.pem", path(d.ca()));
    }

    @Test
    void aCaThatIsADirectoryOrEndsWithASlashIsACaPath() throws Exception {
        Path cas = Files.createDirectories(dir.resolve("cas"));
        TlsSettings t = joiner("sst.encrypt=4", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem", "sst.ssl-ca=" + cas);
        assertTrue(t.ca().isEmpty());
        assertEquals(cas.toString(), path(t.capath()));
        TlsSettings s = joiner("sst.encrypt=4", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem", "sst.ssl-ca=/nowhere/cas/");
        assertEquals("/nowhere/cas", path(s.capath()));
        assertEquals("ssl-ca", s.capath().get().name(), "messages name the setting the operator wrote");
    }

    @Test
    void dhparamsAreReadOnlyForTls() {
        assertTrue(joiner("sst.ssl-dhparams=/dh.pem").dhparams().isEmpty());
        assertEquals("/dh.pem", path(joiner("sst.encrypt=3", "sst.ssl-cert=/c.pem", "sst.ssl-key=/k.pem",
                "mysqld.ssl-dhparams=/dh.pem").dhparams()));
    }

    @Test
    void theJoinerSendsItsSecretInAnyVerifyModeEvenWithEncrypt1() {
        assertTrue(joiner("sst.encrypt=1", "sst.ssl-mode=VERIFY_CA").joinerSendsSecret());
        assertEquals(Encrypt.OPENSSL_ENC, joiner("sst.encrypt=1", "sst.ssl-mode=VERIFY_CA").encrypt(), "encrypt=1 reads no certificate");
        assertFalse(joiner("sst.encrypt=4", "sst.ssl-mode=REQUIRED", "sst.ssl-cert=/c", "sst.ssl-key=/k", "sst.ssl-ca=/a")
                .joinerSendsSecret());
    }
}
