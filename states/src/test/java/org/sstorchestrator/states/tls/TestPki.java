package org.sstorchestrator.states.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for the tests, made with BouncyCastle: CAs, intermediates, node certificates
 * (RSA or EC, with or without SANs, expired or not yet valid, for a wrong name), written as
 * PEM in every form the SST reads (PKCS#1, PKCS#8, EC, cert and key in one file, a chain, a
 * hashed CA directory). Used by the unit tests here and by the cli's integration tests.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate and its key. */
    public record Issued(X509Certificate cert, KeyPair keys, List<X509Certificate> chain) {

        /** The certificate, then the intermediates up to (not including) the root. */
        public List<X509Certificate> withChain() {
            List<X509Certificate> all = new ArrayList<>();
            all.add(cert);
            all.addAll(chain);
            return all;
        }
    }

    /** How a key is written. */
    public enum KeyForm { PKCS1, PKCS8 }

    private final Path dir;
    private final Instant now;

    public TestPki(Path dir) {
        this(dir, Instant.now());
    }

    public TestPki(Path dir, Instant now) {
        this.dir = dir;
        this.now = now;
    }

    public Path dir() {
        return dir;
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed root CA, valid from a day ago for a year. */
    public Issued ca(String cn) {
        KeyPair k = rsa();
        return new Issued(build("CN=" + cn + ",O=sst-orchestrator tests", k, new X500Name("CN=" + cn + ",O=sst-orchestrator tests"), k,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true, List.of()), k, List.of());
    }

    /** An intermediate CA issued by {@code parent}. */
    public Issued intermediate(String cn, Issued parent) {
        KeyPair k = rsa();
        X509Certificate c = build("CN=" + cn, k, name(parent), parent.keys(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true, List.of());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(parent.cert());
        chain.addAll(parent.chain());
        chain.removeIf(x -> x.getSubjectX500Principal().equals(x.getIssuerX500Principal())); // never the root
        return new Issued(c, k, chain);
    }

    /** A node certificate for both TLS roles, valid now, with {@code dnsNames} (none: CN only). */
    public Issued node(String cn, Issued issuer, String... dnsNames) {
        return node(cn, issuer, rsa(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), dnsNames);
    }

    public Issued node(String cn, Issued issuer, KeyPair keys, Instant from, Instant to, String... dnsNames) {
        X509Certificate c = build("CN=" + cn + ",O=sst-orchestrator tests", keys, name(issuer), issuer.keys(), from, to,
                false, List.of(dnsNames));
        List<X509Certificate> chain = new ArrayList<>();
        if (!issuer.cert().getSubjectX500Principal().equals(issuer.cert().getIssuerX500Principal())) {
            chain.add(issuer.cert());
            chain.addAll(issuer.chain());
        }
        return new Issued(c, keys, chain);
    }

    /** Writes PEM objects (certificates, keys, generators) to {@code name} in the directory. */
    public Path pem(String name, Object... objects) {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            for (Object o : objects) {
                w.writeObject(o instanceof KeyPair kp ? traditional(kp.getPrivate()) : o);
            }
            w.flush();
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            return Files.writeString(p, s.toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate alone. */
    public Path cert(String name, Issued i) {
        return pem(name, i.cert());
    }

    /** The certificate and its intermediates. */
    public Path chain(String name, Issued i) {
        return pem(name, i.withChain().toArray());
    }

    /** The key, as PKCS#1 (RSA PRIVATE KEY / EC PRIVATE KEY) or PKCS#8 (PRIVATE KEY). */
    public Path key(String name, Issued i, KeyForm form) {
        try {
            return form == KeyForm.PKCS8 ? pem(name, new JcaPKCS8Generator(i.keys().getPrivate(), null).generate())
                    : pem(name, i.keys());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Certificate and key in one file, as encrypt=2 needs (socat's cert=). */
    public Path combined(String name, Issued i) {
        List<Object> all = new ArrayList<>(i.withChain());
        all.add(i.keys());
        return pem(name, all.toArray());
    }

    /** A CA directory as openssl -CApath reads it (openssl rehash names the files). */
    public Path caDirectory(String name, Issued... cas) {
        Path d = dir.resolve(name);
        try {
            Files.createDirectories(d);
            for (int i = 0; i < cas.length; i++) {
                pem(name + "/ca" + i + ".pem", cas[i].cert());
            }
            Process p = new ProcessBuilder("openssl", "rehash", d.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl rehash failed: " + out);
            }
            return d;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A private key as openssl writes it traditionally: RSA PRIVATE KEY (PKCS#1), or EC
     * PRIVATE KEY with its curve and public point, which openssl needs and BouncyCastle's
     * writer would leave out.
     */
    private static Object traditional(java.security.PrivateKey k) throws IOException {
        if (!k.getAlgorithm().equals("EC")) {
            return k;
        }
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(k.getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                info.parsePrivateKey());
        java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) k;
        org.bouncycastle.asn1.sec.ECPrivateKey full = new org.bouncycastle.asn1.sec.ECPrivateKey(
                ec.getParams().getOrder().bitLength(), inner.getKey(), inner.getPublicKey(),
                info.getPrivateKeyAlgorithm().getParameters());
        return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", full.getEncoded());
    }

    /** The issuer's subject exactly as encoded (a string form would reorder the RDNs). */
    private static X500Name name(Issued issuer) {
        return X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate build(String subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                         Instant from, Instant to, boolean isCa, List<String> dnsNames) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(64, RANDOM), Date.from(from), Date.from(to), new X500Name(subject), subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            }
            if (!dnsNames.isEmpty()) {
                GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(
                        n.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            String alg = issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            X509CertificateHolder h = b.build(new JcaContentSignerBuilder(alg).build(issuerKeys.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
