package org.sstorchestrator.states.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.TlsSettings;

/**
 * The checks of the TLS files before a transfer (the SST's preflight fails on the first, with
 * the stock script's words; sst-admin doctor lists them), on real PEM files made with
 * BouncyCastle (issue 8).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsMaterialTest {

    private static final Instant NOW = Instant.now();

    private Path dir;

    private TestPki pki;
    private TestPki.Issued ca;
    private TestPki.Issued node;
    private Path caPem;

    @BeforeAll
    void pki(@TempDir Path tmp) {
        dir = tmp;
        pki = new TestPki(dir, NOW);
        ca = pki.ca("Test CA");
        node = pki.node("node1.example", ca);
        caPem = pki.cert("ca.pem", ca);
    }

    private static TlsMaterial material(Role role, String... sst) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : sst) {
            String[] p = s.split("=", 2);
            g.computeIfAbsent("sst", k -> new HashMap<>()).put(p[0], p[1]);
        }
        return new TlsMaterial(TlsSettings.resolve(new OptionFiles(g), role));
    }

    private static SstException refused(TlsMaterial m) {
        SstException e = assertThrows(SstException.class, () -> m.load(NOW));
        assertEquals(ExitCode.EINVAL, e.code());
        return e;
    }

    @Test
    void aCertificateItsOwnKeyAndItsIssuingCaPassEveryCheck() {
        TlsMaterial m = material(Role.JOINER, "encrypt=4", "ssl-cert=" + pki.cert("c.pem", node),
                "ssl-key=" + pki.key("k.pem", node, TestPki.KeyForm.PKCS1), "ssl-ca=" + caPem);
        List<TlsMaterial.Finding> all = m.check(NOW);
        assertEquals(3, all.size(), all.toString());
        assertTrue(all.stream().allMatch(TlsMaterial.Finding::ok), all.toString());
        assertTrue(all.get(0).detail().contains("CN=node1.example") && all.get(0).detail().contains("valid until"),
                all.get(0).detail());
        assertEquals(List.of(), m.load(NOW).warnings());
    }

    @Test
    void pkcs8EcKeysAndACombinedCertificateAndKeyFileAreRead() {
        TestPki.Issued ec = pki.node("ec.example", ca, TestPki.ec(), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(9)));
        Path both = pki.combined("ec-both.pem", ec);
        material(Role.DONOR, "encrypt=3", "ssl-cert=" + both, "ssl-key=" + both, "ssl-ca=" + caPem).load(NOW);
        material(Role.DONOR, "encrypt=2", "ssl-cert=" + both, "ssl-ca=" + caPem).load(NOW);
        material(Role.DONOR, "encrypt=3", "ssl-cert=" + pki.cert("ec.pem", ec),
                "ssl-key=" + pki.key("ec8.key", ec, TestPki.KeyForm.PKCS8)).load(NOW);
    }

    @Test
    void theKeyOfAnotherPairIsTheStockMismatchNamingBothFiles() {
        Path cert = pki.cert("c2.pem", node);
        Path other = pki.key("other.key", pki.node("other", ca), TestPki.KeyForm.PKCS8);
        SstException e = refused(material(Role.JOINER, "encrypt=3", "ssl-cert=" + cert, "ssl-key=" + other));
        assertTrue(e.getMessage().startsWith("The certificate and private key do not match. Please check your certificate"
                + " and key files. ssl-key " + other + " is not the key of ssl-cert " + cert), e.getMessage());
    }

    @Test
    void anExpiredCertificateWithACaIsTheStockCaMismatchWithTheDate() {
        Instant ended = NOW.minus(Duration.ofDays(2));
        TestPki.Issued old = pki.node("old", ca, TestPki.rsa(), NOW.minus(Duration.ofDays(30)), ended);
        SstException e = refused(material(Role.DONOR, "encrypt=4", "ssl-cert=" + pki.cert("old.pem", old),
                "ssl-key=" + pki.key("old.key", old, TestPki.KeyForm.PKCS1), "ssl-ca=" + caPem));
        assertTrue(e.getMessage().startsWith("The certifcate and CA (certificate authority) do not match."), e.getMessage());
        assertTrue(e.getMessage().contains("the certificate expired on " + old.cert().getNotAfter().toInstant()),
                e.getMessage());
    }

    @Test
    void anExpiredCertificateWithoutACaOnlyWarnsAsNobodyVerifiesIt() {
        TestPki.Issued old = pki.node("old2", ca, TestPki.rsa(), NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));
        TlsMaterial.Loaded l = material(Role.DONOR, "encrypt=3", "ssl-cert=" + pki.cert("old2.pem", old),
                "ssl-key=" + pki.key("old2.key", old, TestPki.KeyForm.PKCS1)).load(NOW);
        assertEquals(1, l.warnings().size());
        assertTrue(l.warnings().get(0).contains("is not valid now"), l.warnings().toString());
    }

    @Test
    void aCertificateFromAnotherCaFailsTheChainCheck() {
        TestPki.Issued stranger = pki.node("stranger", pki.ca("Other CA"));
        SstException e = refused(material(Role.JOINER, "encrypt=4", "ssl-cert=" + pki.cert("s.pem", stranger),
                "ssl-key=" + pki.key("s.key", stranger, TestPki.KeyForm.PKCS1), "ssl-ca=" + caPem));
        assertTrue(e.getMessage().contains("against ssl-ca " + caPem + ": no CA there issued it"), e.getMessage());
    }

    @Test
    void anExpiredCaFailsToo() {
        TestPki past = new TestPki(dir, NOW.minus(Duration.ofDays(400)));
        TestPki.Issued oldCa = past.ca("Old CA");
        TestPki.Issued n = pki.node("n", oldCa);
        SstException e = refused(material(Role.JOINER, "encrypt=4", "ssl-cert=" + pki.cert("n.pem", n),
                "ssl-key=" + pki.key("n.key", n, TestPki.KeyForm.PKCS1), "ssl-ca=" + pki.cert("oldca.pem", oldCa)));
        assertTrue(e.getMessage().startsWith("The certifcate and CA"), e.getMessage());
    }

    @Test
    void aMissingOrUnreadableFileNamesTheSettingThePathAndTheReason() throws Exception {
        SstException e = refused(material(Role.JOINER, "encrypt=3", "ssl-cert=" + dir.resolve("nope.pem"),
                "ssl-key=" + dir.resolve("nope.key")));
        assertEquals("Both the certificate file and the key file must be readable. ssl-cert " + dir.resolve("nope.pem")
                + ": no such file; give the path of a readable PEM certificate (the SST runs as the mysql user)",
                e.getMessage());
        SstException c = refused(material(Role.JOINER, "encrypt=4", "ssl-cert=" + pki.cert("c3.pem", node),
                "ssl-key=" + pki.key("k3.pem", node, TestPki.KeyForm.PKCS1), "ssl-ca=" + dir.resolve("no-ca.pem")));
        assertTrue(c.getMessage().startsWith("Both PEM file and CA file (or path) must be readable. ssl-ca "
                + dir.resolve("no-ca.pem") + ": no such file"), c.getMessage());
        Path notPem = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertTrue(refused(material(Role.JOINER, "encrypt=3", "ssl-cert=" + notPem, "ssl-key=" + notPem)).getMessage()
                .contains("holds no PEM certificate"));
    }

    @Test
    void encrypt2NeedsTheKeyInTheCertificateFile() {
        Path certOnly = pki.cert("only.pem", node);
        SstException e = refused(material(Role.JOINER, "encrypt=2", "ssl-cert=" + certOnly, "ssl-ca=" + caPem));
        assertTrue(e.getMessage().contains("holds no private key: with encrypt=2 the certificate file must hold its key"),
                e.getMessage());
    }

    @Test
    void aKeyUnderAPassphraseIsRefusedForWhatItIs() throws Exception {
        Path enc = dir.resolve("enc.key");
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(enc))) { // openssl's "Proc-Type: 4,ENCRYPTED"
            w.writeObject(node.keys().getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build("pw".toCharArray()));
        }
        SstException e = refused(material(Role.JOINER, "encrypt=3", "ssl-cert=" + pki.cert("c4.pem", node),
                "ssl-key=" + enc));
        assertTrue(e.getMessage().contains("encrypted with a passphrase, which an SST cannot type"), e.getMessage());
    }

    @Test
    void aCaDirectoryIsReadByItsHashedNamesOnly() throws Exception {
        Path hashed = pki.caDirectory("cas", ca);
        material(Role.DONOR, "encrypt=4", "ssl-cert=" + pki.cert("c5.pem", node),
                "ssl-key=" + pki.key("k5.pem", node, TestPki.KeyForm.PKCS1), "ssl-capath=" + hashed).load(NOW);
        Path plain = Files.createDirectories(dir.resolve("unhashed"));
        pki.cert("unhashed/ca.pem", ca);
        SstException e = refused(material(Role.DONOR, "encrypt=4", "ssl-cert=" + pki.cert("c6.pem", node),
                "ssl-key=" + pki.key("k6.pem", node, TestPki.KeyForm.PKCS1), "ssl-ca=" + plain + "/"));
        assertTrue(e.getMessage().contains("ssl-ca " + plain + ": it holds no certificate under a hashed name"),
                e.getMessage());
    }

    @Test
    void dhParametersMustBeReadable() throws Exception {
        String[] base = {"encrypt=3", "ssl-cert=" + pki.cert("c7.pem", node), "ssl-key=" + pki.key("k7.pem", node,
                TestPki.KeyForm.PKCS1)};
        String[] missing = java.util.Arrays.copyOf(base, 4);
        missing[3] = "ssl-dhparams=" + dir.resolve("no-dh.pem");
        assertTrue(refused(material(Role.JOINER, missing)).getMessage().startsWith("ssl-dhparams " + dir.resolve("no-dh.pem")));
        Path dh = dir.resolve("dh.pem");
        Process p = new ProcessBuilder("openssl", "dhparam", "-dsaparam", "-out", dh.toString(), "2048")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        String[] good = java.util.Arrays.copyOf(base, 4);
        good[3] = "ssl-dhparams=" + dh;
        List<TlsMaterial.Finding> f = material(Role.JOINER, good).check(NOW);
        assertTrue(f.get(f.size() - 1).detail().contains("2048-bit DH parameters"), f.toString());
    }

    @Test
    void withoutTlsThereIsNothingToReadAndDoctorSaysSo() {
        List<TlsMaterial.Finding> f = material(Role.JOINER).check(NOW);
        assertEquals(1, f.size());
        assertTrue(f.get(0).ok() && f.get(0).detail().startsWith("encrypt=0 ssl-mode=DISABLED: no TLS"), f.toString());
    }
}
