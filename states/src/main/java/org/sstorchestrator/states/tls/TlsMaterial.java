package org.sstorchestrator.states.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.sstorchestrator.states.config.OptionFiles;

/**
 * The TLS files my.cnf names for SST, and whether they would work: each readable, the
 * certificate in its validity period, the key the certificate's own (proved by a signature,
 * so any key type works), the certificate chained to the CA. The preflight an operator runs
 * ({@code sst-admin doctor}); TLS for the transfer itself builds on it.
 *
 * <p>Which settings: like the stock script, {@code ssl-ca}/{@code ssl-cert}/{@code ssl-key} from
 * the first of {@code [mysqld] [sst] [xtrabackup] [mariabackup]} that has them, else the legacy
 * {@code tca}/{@code tcert}/{@code tkey} of {@code [sst]}. PEM files are read with BouncyCastle
 * (PKCS#1, PKCS#8, EC, and cert and key in one file: java-notes.md).
 */
public final class TlsMaterial {

    private static final List<String> GROUPS = List.of("mysqld", "sst", "xtrabackup", "mariabackup");

    /** One configured file: the setting that names it and its path. */
    public record Setting(String name, Path path) {
        @Override
        public String toString() {
            return name + " " + path;
        }
    }

    /** One verdict, for a doctor line: what was found, and what to do about a failure. */
    public record Finding(boolean ok, String detail, String remedy) {
    }

    private final Optional<Setting> ca;
    private final Optional<Setting> cert;
    private final Optional<Setting> key;

    public TlsMaterial(Optional<Setting> ca, Optional<Setting> cert, Optional<Setting> key) {
        this.ca = ca;
        this.cert = cert;
        this.key = key;
    }

    public static TlsMaterial from(OptionFiles cnf) {
        return new TlsMaterial(setting(cnf, "ssl-ca", "tca"), setting(cnf, "ssl-cert", "tcert"),
                setting(cnf, "ssl-key", "tkey"));
    }

    private static Optional<Setting> setting(OptionFiles cnf, String name, String legacy) {
        return cnf.get(GROUPS, name).filter(s -> !s.isBlank()).map(v -> new Setting(name, Path.of(v)))
                .or(() -> cnf.sst(legacy).filter(s -> !s.isBlank()).map(v -> new Setting("[sst] " + legacy, Path.of(v))));
    }

    public boolean isEmpty() {
        return ca.isEmpty() && cert.isEmpty() && key.isEmpty();
    }

    /** Every check that applies to what is configured, in order; all pass or the first failures say why. */
    public List<Finding> check(Instant now) {
        List<Finding> out = new ArrayList<>();
        if (isEmpty()) {
            out.add(new Finding(true, "no ssl-ca, ssl-cert or ssl-key (nor tca, tcert, tkey): nothing to check", ""));
            return out;
        }
        if (cert.isPresent() != key.isPresent()) {
            Setting given = cert.orElseGet(key::get);
            out.add(new Finding(false, given + " is set without " + (cert.isPresent() ? "ssl-key" : "ssl-cert"),
                    "set both ssl-cert and ssl-key, or neither"));
        }
        List<X509Certificate> chain = List.of();
        if (cert.isPresent()) {
            chain = certificates(cert.get(), out);
            if (!chain.isEmpty()) {
                out.add(validity(cert.get(), chain.get(0), now));
            }
        }
        if (key.isPresent()) {
            Optional<PrivateKey> k = privateKey(key.get(), out);
            if (k.isPresent() && !chain.isEmpty()) {
                out.add(matches(k.get(), chain.get(0)));
            }
        }
        if (ca.isPresent()) {
            List<X509Certificate> anchors = certificates(ca.get(), out);
            if (!anchors.isEmpty() && !chain.isEmpty()) {
                out.add(chainsTo(chain, anchors, now));
            }
        }
        return out;
    }

    private static List<X509Certificate> certificates(Setting s, List<Finding> out) {
        List<X509Certificate> certs = new ArrayList<>();
        try (PEMParser pem = parser(s)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    certs.add(converter.getCertificate(h));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            out.add(new Finding(false, s + ": " + reason(e), "give the path of a readable PEM file"));
            return List.of();
        }
        if (certs.isEmpty()) {
            out.add(new Finding(false, s + " holds no PEM certificate", "point " + s.name() + " at a PEM certificate"));
        }
        return certs;
    }

    private static Optional<PrivateKey> privateKey(Setting s, List<Finding> out) {
        try (PEMParser pem = parser(s)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return Optional.of(converter.getKeyPair(pair).getPrivate());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return Optional.of(converter.getPrivateKey(info));
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    out.add(new Finding(false, s + " is encrypted with a passphrase, which an SST cannot type",
                            "store the key without a passphrase, readable only by the mysql user"));
                    return Optional.empty();
                }
            }
            out.add(new Finding(false, s + " holds no PEM private key", "point " + s.name() + " at the PEM key"));
        } catch (IOException | RuntimeException e) {
            out.add(new Finding(false, s + ": " + reason(e), "give the path of a readable PEM file"));
        }
        return Optional.empty();
    }

    private static Finding validity(Setting s, X509Certificate c, Instant now) {
        String who = c.getSubjectX500Principal().getName();
        if (now.isBefore(c.getNotBefore().toInstant())) {
            return new Finding(false, s + " (" + who + ") is not valid before " + c.getNotBefore().toInstant(),
                    "check the clock, or issue a certificate valid now");
        }
        if (now.isAfter(c.getNotAfter().toInstant())) {
            return new Finding(false, s + " (" + who + ") expired on " + c.getNotAfter().toInstant(),
                    "renew the certificate");
        }
        return new Finding(true, s + " (" + who + ") is valid until " + c.getNotAfter().toInstant(), "");
    }

    /** The key signs, the certificate's public key verifies: the pair belongs together, whatever the algorithm. */
    private Finding matches(PrivateKey k, X509Certificate c) {
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            String algorithm = switch (k.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC", "ECDSA" -> "SHA256withECDSA";
                case "Ed25519", "Ed448", "EdDSA" -> k.getAlgorithm();
                default -> throw new GeneralSecurityException("key algorithm " + k.getAlgorithm() + " is not supported");
            };
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(k);
            sign.update(challenge);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(c.getPublicKey());
            verify.update(challenge);
            if (verify.verify(signature)) {
                return new Finding(true, key.get() + " is the key of " + cert.get(), "");
            }
        } catch (GeneralSecurityException e) {
            return new Finding(false, key.get() + " does not fit " + cert.get() + ": " + reason(e),
                    "use the key the certificate was issued for");
        }
        return new Finding(false, key.get() + " is not the key of " + cert.get(),
                "use the key the certificate was issued for");
    }

    private Finding chainsTo(List<X509Certificate> chain, List<X509Certificate> anchors, Instant now) {
        try {
            Set<TrustAnchor> trust = new LinkedHashSet<>();
            for (X509Certificate a : anchors) {
                trust.add(new TrustAnchor(a, null));
            }
            PKIXParameters params = new PKIXParameters(trust);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            // the path holds the leaf and any intermediates from the cert file, never the anchor itself
            List<X509Certificate> path = chain.stream().filter(c -> !anchors.contains(c)).toList();
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return new Finding(true, cert.get() + " is issued by the CA in " + ca.get(), "");
        } catch (GeneralSecurityException e) {
            return new Finding(false, cert.get() + " does not chain to the CA in " + ca.get() + ": " + reason(e),
                    "use the CA that issued the certificate (and put intermediates in the certificate file)");
        }
    }

    private static PEMParser parser(Setting s) throws IOException {
        Reader r = Files.newBufferedReader(s.path());
        return new PEMParser(r);
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
