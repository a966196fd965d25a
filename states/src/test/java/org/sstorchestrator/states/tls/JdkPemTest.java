package org.sstorchestrator.states.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK reads the files openssl writes by default as BouncyCastle reads them (the same key,
 * the same certificates), and leaves every other file to BouncyCastle: a TLS run's first
 * certificate cost 170 ms of loading BouncyCastle's signed jars on each node, 24 ms so.
 */
class JdkPemTest {

    @TempDir
    Path tmp;

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static String bcWritten(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    private static PrivateKey bouncyCastle(Path file) throws Exception {
        try (PEMParser p = new PEMParser(Files.newBufferedReader(file))) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return new JcaPEMKeyConverter().getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return new JcaPEMKeyConverter().getPrivateKey(info);
                }
            }
        }
        throw new AssertionError("no key in " + file);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void pkcs8AndPkcs1RsaKeysAndCertificatesAreReadByTheJdkAsBouncyCastleReadsThem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        Path pkcs8 = write("pkcs8.key", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        Path pkcs1 = write("pkcs1.key", bcWritten(rsa.getPrivate()));
        assertTrue(Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        TestPki pki = new TestPki(tmp);
        TestPki.Issued ca = pki.ca("jdk-pem CA");
        TestPki.Issued node = pki.node("node", ca);
        Path combined = write("combined.pem", "Bag Attributes: text outside the blocks is ignored\r\n"
                + bcWritten(node.cert()).replace("\n", "\r\n") + bcWritten(ca.cert()) + pem("PRIVATE KEY",
                node.keys().getPrivate().getEncoded()));

        for (Path f : new Path[] {pkcs8, pkcs1, combined}) {
            assertTrue(JdkPem.blocks(f).isPresent(), f + " is read by the JDK");
            assertArrayEquals(bouncyCastle(f).getEncoded(), PemFiles.privateKey(f).orElseThrow().getEncoded(), f.toString());
        }
        assertEquals(java.util.List.of(node.cert(), ca.cert()), JdkPem.certificates(JdkPem.blocks(combined).get()).get());
        assertEquals(java.util.List.of(node.cert(), ca.cert()), PemFiles.certificates(combined));
    }

    @Test
    void ecAndEncryptedKeysAndBlocksWithHeadersAreLeftToBouncyCastle() throws Exception {
        TestPki pki = new TestPki(tmp);
        TestPki.Issued node = pki.node("ec-node", pki.ca("jdk-pem CA"), TestPki.ec(), java.time.Instant.now().minusSeconds(60),
                java.time.Instant.now().plusSeconds(3600));
        KeyPair ec = node.keys();
        Path sec1 = pki.key("ec.key", node, TestPki.KeyForm.PKCS1);
        assertTrue(Files.readString(sec1).contains("EC PRIVATE KEY"));
        assertFalse(JdkPem.blocks(sec1).isPresent());
        assertEquals(((java.security.interfaces.ECPrivateKey) ec.getPrivate()).getS(),
                ((java.security.interfaces.ECPrivateKey) PemFiles.privateKey(sec1).orElseThrow()).getS());

        OutputEncryptor enc = new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("secret".toCharArray())
                .build();
        Path encrypted = write("enc.key", bcWritten(new JcaPKCS8Generator(ec.getPrivate(), enc)));
        assertFalse(JdkPem.blocks(encrypted).isPresent());
        java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> PemFiles.privateKey(encrypted));
        assertTrue(refused.getMessage().contains("passphrase"), refused.getMessage());

        Path headers = write("headers.key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertFalse(JdkPem.blocks(headers).isPresent());
        Path notBase64 = write("bad.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertFalse(JdkPem.blocks(notBase64).isPresent());
    }
}
