package org.sstorchestrator.states.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;

/** Issue 19: socat's OPENSSL options in [sst] sockopt, resolved into what the TLS transport applies. */
class SocatTlsTest {

    private static SstConfig config(Role role, String sockopt, String... sst) {
        Map<String, Map<String, String>> g = new HashMap<>();
        Map<String, String> s = new HashMap<>(Map.of("encrypt", "4", "ssl-cert", "/etc/mysql/c.pem", "ssl-key",
                "/etc/mysql/k.pem", "ssl-ca", "/etc/mysql/ca.pem", "sockopt", sockopt));
        for (String kv : sst) {
            String[] p = kv.split("=", 2);
            s.put(p[0], p[1]);
        }
        g.put("sst", s);
        return SstConfig.from(new OptionFiles(g), role);
    }

    private static TlsOptions options(Role role, String sockopt, String... sst) {
        return config(role, sockopt, sst).tls().options();
    }

    @Test
    void theCipherListBecomesJssesSuitesAfterTls13sAndTheProtocolsTheRange() {
        TlsOptions o = options(Role.DONOR, "cipher=ECDHE+AESGCM:!aECDSA,min-version=TLSv1.2,max-version=TLS1.2,keepalive");
        List<String> expected = new ArrayList<>(OpensslCipherList.TLS13);
        expected.addAll(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
        assertEquals(expected, o.cipherSuites());
        assertEquals(List.of("TLSv1.2"), o.protocols());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), options(Role.DONOR, "min-version=TLS1").protocols());
        assertEquals(List.of(), options(Role.DONOR, "keepalive").cipherSuites(), "none given: JSSE's own");
        assertTrue(options(Role.DONOR, "keepalive").isEmpty());
    }

    @Test
    void verifyCommonnameAndSniAreKeptForTheTransport() {
        TlsOptions o = options(Role.DONOR, "verify=0,commonname=db1,no-sni=0", "ssl-mode=REQUIRED");
        assertEquals(Optional.of(false), o.verify());
        assertEquals(Optional.of("db1"), o.peerName());
        assertEquals(Optional.of(""), o.sni(), "the joiner's host name");
        assertEquals(false, config(Role.DONOR, "verify=0").tls().verifiesPeer());
        assertEquals(Optional.of("sni.example"), options(Role.DONOR, "snihost=sni.example").sni());
        assertEquals(Optional.empty(), options(Role.DONOR, "snihost=sni.example,no-sni=1").sni(), "socat: no-sni wins");
        SstException e = assertThrows(SstException.class, () -> options(Role.JOINER, "no-sni=0"));
        assertTrue(e.getMessage().startsWith("[sst] sockopt no-sni is refused: the joiner is the TLS server"),
                e.getMessage());
    }

    @Test
    void sockoptsFilesAreTheSslOptionsOwnOrTheKeyOfEncrypt2AndItsDhparamWins() {
        TlsSettings s = config(Role.JOINER, "cert=/etc/mysql/c.pem,cafile=/etc/mysql/ca.pem,dhparam=/etc/dh.pem").tls();
        assertEquals(Path.of("/etc/dh.pem"), s.dhparams().orElseThrow().path());
        s = config(Role.JOINER, "key=/etc/mysql/k2.pem", "encrypt=2", "ssl-key=").tls();
        assertEquals(Path.of("/etc/mysql/k2.pem"), s.key().orElseThrow().path(), "socat's key= beside cert=, as stock");
    }

    @ParameterizedTest(name = "sockopt={0} is refused naming {1}")
    @CsvSource(delimiter = '|', value = {
        "cipher=RC4:CAMELLIA128-SHA|cipher=RC4:CAMELLIA128-SHA",
        "cipher=TLS_AES_128_GCM_SHA256|cipher=TLS_AES_128_GCM_SHA256",
        "max-version=TLS1.1|max-version=TLSv1.1",
        "min-version=DTLS1|DTLS has no meaning",
        "min-version=TLS9|socat knows SSL3",
        "verify=0,keepalive|verify=0",
        "cert=/other/c.pem|cert=/other/c.pem",
        "cafile=/other/ca.pem|cafile=/other/ca.pem",
        "compress=auto|compress=auto",
        "egd=/var/run/egd|egd",
        "pseudo|pseudo",
    })
    void whatHasNoMeaningOrContradictsTheSettingsIsRefusedNamingIt(String sockopt, String named) {
        SstException e = assertThrows(SstException.class, () -> config(Role.DONOR, sockopt, "ssl-mode=VERIFY_CA"));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().startsWith("[sst] sockopt ") && e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void verify1WithoutACaIsRefusedAndCompressNoneIsWhatJsseDoes() {
        SstException e = assertThrows(SstException.class, () -> config(Role.DONOR, "verify=1", "encrypt=3", "ssl-ca="));
        assertTrue(e.getMessage().contains("no CA to verify the peer against"), e.getMessage());
        assertTrue(options(Role.DONOR, "compress=none").applied().contains("compress=none"));
    }
}
