package org.sstorchestrator.states.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.config.OptionFiles;

/** Real PEM files made here with BouncyCastle: a CA, a node certificate it issued, and broken variants. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsMaterialTest {

    private static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    @TempDir
    Path dir;

    private KeyPair caKeys;
    private X509CertificateHolder ca;
    private KeyPair nodeKeys;

    @BeforeAll
    void pki() throws Exception {
        caKeys = rsa();
        ca = issue("CN=Test CA", caKeys, "CN=Test CA", caKeys, NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(365)), true);
        nodeKeys = rsa();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509CertificateHolder issue(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                               Instant from, Instant to, boolean isCa) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(to), new X500Name(subject),
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        String alg = issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return b.build(new JcaContentSignerBuilder(alg).build(issuerKeys.getPrivate()));
    }

    private Path pem(String name, Object... objects) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return Files.writeString(dir.resolve(name), s.toString());
    }

    private X509CertificateHolder node(KeyPair keys, Instant from, Instant to) throws Exception {
        return issue("CN=node1.example", keys, "CN=Test CA", caKeys, from, to, false);
    }

    private static TlsMaterial material(Path ca, Path cert, Path key) {
        return new TlsMaterial(Optional.ofNullable(ca).map(p -> new TlsMaterial.Setting("ssl-ca", p)),
                Optional.ofNullable(cert).map(p -> new TlsMaterial.Setting("ssl-cert", p)),
                Optional.ofNullable(key).map(p -> new TlsMaterial.Setting("ssl-key", p)));
    }

    private static List<TlsMaterial.Finding> failures(TlsMaterial m) {
        return m.check(NOW).stream().filter(f -> !f.ok()).toList();
    }

    @Test
    void aCertificateItsOwnKeyAndItsIssuingCaPassEveryCheck() throws Exception {
        TlsMaterial m = material(pem("ca.pem", ca), pem("cert.pem", node(nodeKeys, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(90)))), pem("key.pem", nodeKeys.getPrivate()));
        List<TlsMaterial.Finding> all = m.check(NOW);
        assertEquals(3, all.size(), all.toString());
        assertTrue(all.stream().allMatch(TlsMaterial.Finding::ok), all.toString());
        assertTrue(all.get(0).detail().contains("CN=node1.example") && all.get(0).detail().contains("valid until"),
                all.get(0).detail());
    }

    @Test
    void aPkcs8EcKeyAndACombinedCertAndKeyFileAreReadToo() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = g.generateKeyPair();
        X509CertificateHolder c = node(ec, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)));
        Path both = pem("both.pem", c, new JcaPKCS8Generator(ec.getPrivate(), null).generate());
        assertEquals(List.of(), failures(material(pem("ca.pem", ca), both, both)));
    }

    @Test
    void theKeyOfAnotherPairFailsNamingBothSettings() throws Exception {
        TlsMaterial m = material(null, pem("cert.pem", node(nodeKeys, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(90)))), pem("other.pem", rsa().getPrivate()));
        List<TlsMaterial.Finding> f = failures(m);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).detail().startsWith("ssl-key " + dir.resolve("other.pem") + " is not the key of ssl-cert "),
                f.get(0).detail());
    }

    @Test
    void anExpiredCertificateFailsWithTheDateItEnded() throws Exception {
        Instant ended = NOW.minus(Duration.ofDays(2));
        TlsMaterial m = material(null, pem("cert.pem", node(nodeKeys, NOW.minus(Duration.ofDays(30)), ended)),
                pem("key.pem", nodeKeys.getPrivate()));
        List<TlsMaterial.Finding> f = failures(m);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).detail().contains("expired on " + ended) && f.get(0).remedy().equals("renew the certificate"),
                f.get(0).toString());
    }

    @Test
    void aCertificateFromAnotherCaFailsTheChainCheck() throws Exception {
        KeyPair otherKeys = rsa();
        X509CertificateHolder other = issue("CN=Other CA", otherKeys, "CN=Other CA", otherKeys,
                NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(365)), true);
        TlsMaterial m = material(pem("other-ca.pem", other), pem("cert.pem", node(nodeKeys,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)))), pem("key.pem", nodeKeys.getPrivate()));
        List<TlsMaterial.Finding> f = failures(m);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).detail().contains("does not chain to the CA in ssl-ca " + dir.resolve("other-ca.pem")),
                f.get(0).detail());
    }

    @Test
    void aMissingFileAndACertWithoutKeyFailNamingTheSettingAndThePath() {
        List<TlsMaterial.Finding> f = failures(material(null, dir.resolve("nope.pem"), null));
        assertEquals(2, f.size(), f.toString());
        assertEquals("ssl-cert " + dir.resolve("nope.pem") + " is set without ssl-key", f.get(0).detail());
        assertEquals("ssl-cert " + dir.resolve("nope.pem") + ": no such file", f.get(1).detail());
    }

    @Test
    void nothingConfiguredIsNothingToCheckAndTheLegacyTcaNamesAreReadAfterTheSslOnes() {
        assertTrue(failures(material(null, null, null)).isEmpty());
        Map<String, Map<String, String>> g = new HashMap<>();
        g.put("sst", new HashMap<>(Map.of("tcert", "/legacy/cert.pem", "tkey", "/legacy/key.pem")));
        g.put("mysqld", new HashMap<>(Map.of("ssl-cert", "/etc/mysql/cert.pem")));
        List<TlsMaterial.Finding> f = failures(TlsMaterial.from(new OptionFiles(g)));
        assertTrue(f.stream().anyMatch(x -> x.detail().equals("ssl-cert /etc/mysql/cert.pem: no such file")), f.toString());
        assertTrue(f.stream().anyMatch(x -> x.detail().equals("[sst] tkey /legacy/key.pem: no such file")), f.toString());
        assertFalse(f.stream().anyMatch(x -> x.detail().contains("/legacy/cert.pem")), "ssl-cert wins over tcert");
    }
}
