package org.sstorchestrator.states.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
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
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.Encrypt;
import org.sstorchestrator.states.config.TlsSettings.Setting;
import org.sstorchestrator.states.config.TlsSettings;
import org.sstorchestrator.states.stock.StockLine;

/**
 * The TLS files one role uses ({@link TlsSettings}), read and checked as the stock script
 * checks them before its transfer ({@code verify_cert_matches_key}, then
 * {@code verify_ca_matches_cert}: docs/wire-protocol.md#tls), with its words where it has
 * them: each file readable, the key the certificate's own (proved by a signature, so any key
 * type works), the certificate (with the intermediates in its file) issued by the CA and
 * valid now, the CA itself valid. Beyond stock: with encrypt=2 the key must be in the
 * certificate file (socat would fail mid-transfer), a CA directory must hold hashed names,
 * DH parameters must be readable. The same checks serve the SST's preflight ({@link #load},
 * which fails on the first) and {@code sst-admin doctor} ({@link #check}, which lists all).
 */
public final class TlsMaterial {

    /** One verdict, for a doctor line: what was found, and what to do about a failure. */
    public record Finding(boolean ok, String detail, String remedy) {
    }

    /** What the transport is built from: our chain (leaf first), its key, the CAs we trust (none: no verification). */
    public record Loaded(TlsSettings settings, List<X509Certificate> chain, PrivateKey key,
                         List<X509Certificate> anchors, List<String> warnings) {
    }

    private static final String MISMATCH_KEY = "The certificate and private key do not match. Please check your"
            + " certificate and key files.";
    /** The stock box's words, "certifcate" as it spells it, so a runbook's grep still finds them. */
    private static final String MISMATCH_CA = "The certifcate and CA (certificate authority) do not match. It does not"
            + " appear that the certificate was issued by the CA. Please check your certificate and CA files.";

    private final TlsSettings settings;

    public TlsMaterial(TlsSettings settings) {
        this.settings = settings;
    }

    /** A failed check: its finding, and the run's error. */
    private static final class Failed extends Exception {
        final SstException error;
        final String remedy;

        Failed(String message, String remedy) {
            super(message, null, false, false);
            this.error = new SstException(ExitCode.EINVAL, message + "; " + remedy);
            this.remedy = remedy;
        }
    }

    /** For the SST's preflight: the material, or the first failure as exit 22 with the stock words. */
    public Loaded load(Instant now) {
        List<Finding> findings = new ArrayList<>();
        try {
            return run(now, findings);
        } catch (Failed f) {
            throw f.error;
        }
    }

    /** For sst-admin doctor: every check that applies, in order; the first failure ends the list. */
    public List<Finding> check(Instant now) {
        List<Finding> findings = new ArrayList<>();
        if (!settings.tls()) {
            findings.add(new Finding(true, settings.describe() + ": no TLS, no certificate is read"
                    + (settings.encrypt() == Encrypt.OPENSSL_ENC ? " (encrypt=1 encrypts the stream with encrypt-key)" : ""), ""));
            return findings;
        }
        try {
            run(now, findings);
        } catch (Failed f) {
            findings.add(new Finding(false, f.getMessage(), f.remedy));
        }
        return findings;
    }

    private Loaded run(Instant now, List<Finding> findings) throws Failed {
        Setting certSetting = settings.cert().orElseThrow();
        List<X509Certificate> chain = certificates(certSetting, settings.keyInCertificateFile() ? MISMATCH_CA
                : StockLine.CERTIFICATE_AND_KEY_READABLE.text() + ".");
        X509Certificate leaf = chain.get(0);
        findings.add(validity(certSetting, leaf, now));
        PrivateKey key = key(certSetting);
        findings.add(matches(key, leaf, certSetting));
        List<X509Certificate> anchors = new ArrayList<>();
        Optional<Setting> caSetting = settings.ca().or(settings::capath);
        if (caSetting.isPresent()) {
            anchors.addAll(anchors());
            findings.add(chainsTo(certSetting, chain, anchors, caSetting.get(), now));
        }
        if (settings.dhparams().isPresent()) {
            Setting dh = settings.dhparams().get();
            try {
                java.math.BigInteger p = PemFiles.dhParameters(dh.path())[0];
                int bits = p.bitLength();
                if (bits < 2048 || bits > 8192 || bits % 64 != 0) {
                    throw new Failed(dh + " holds a " + bits + "-bit DH prime; the joiner offers 2048 to 8192 bits,"
                            + " in steps of 64", "make them with openssl dhparam -out " + dh.path() + " 2048");
                }
                if (!p.isProbablePrime(64)) { // JSSE would silently use its own group instead
                    throw new Failed(dh + ": its modulus is not a prime", "make them with openssl dhparam -out "
                            + dh.path() + " 2048");
                }
                findings.add(new Finding(true, dh + ": " + bits + "-bit DH parameters (for DHE suites under TLS 1.2;"
                        + " TLS 1.3 and ECDHE do not use them)", ""));
            } catch (IOException e) {
                throw new Failed(dh + ": " + e.getMessage(), "point ssl-dhparams at readable PEM DH parameters, or remove it");
            }
        }
        List<String> warnings = findings.stream().map(Finding::detail).filter(d -> d.startsWith("WARNING: "))
                .map(d -> d.substring("WARNING: ".length())).toList();
        return new Loaded(settings, List.copyOf(chain), key, List.copyOf(anchors), warnings);
    }

    private static List<X509Certificate> certificates(Setting s, String stockWords) throws Failed {
        try {
            return PemFiles.certificates(s.path());
        } catch (IOException e) {
            throw new Failed(stockWords + " " + s + ": " + e.getMessage(), "give the path of a readable PEM certificate"
                    + " (the SST runs as the mysql user)");
        }
    }

    /** The key: ssl-key, or with encrypt=2 the one in the certificate file (socat's cert= holds both). */
    private PrivateKey key(Setting certSetting) throws Failed {
        Setting from = settings.keyInCertificateFile() ? certSetting : settings.key().orElseThrow();
        try {
            Optional<PrivateKey> k = PemFiles.privateKey(from.path());
            if (k.isPresent()) {
                return k.get();
            }
            if (settings.keyInCertificateFile() && settings.key().isPresent()) {
                Optional<PrivateKey> other = PemFiles.privateKey(settings.key().get().path());
                if (other.isPresent()) {
                    return other.get();
                }
            }
        } catch (IOException e) {
            String words = settings.keyInCertificateFile() ? MISMATCH_KEY
                    : StockLine.CERTIFICATE_AND_KEY_READABLE.text() + ".";
            throw new Failed(words + " " + from + ": " + e.getMessage(), "give the path of a readable PEM key without"
                    + " a passphrase (PKCS#1, PKCS#8 or EC)");
        }
        if (settings.keyInCertificateFile()) {
            throw new Failed(MISMATCH_KEY + " " + from + " holds no private key: with encrypt=2 the certificate file"
                    + " must hold its key too (socat's cert=)", "append the key to " + from.path()
                    + ", or use encrypt=3 or 4 with ssl-key");
        }
        throw new Failed(MISMATCH_KEY + " " + from + " holds no PEM private key", "point " + from.name()
                + " at the certificate's PEM key");
    }

    private static Finding validity(Setting s, X509Certificate c, Instant now) {
        String who = subject(c);
        if (now.isBefore(c.getNotBefore().toInstant()) || now.isAfter(c.getNotAfter().toInstant())) {
            // without a CA nobody verifies it (as stock); with one, the chain check below fails on it
            return new Finding(true, "WARNING: " + s + " (" + who + ") is not valid now (" + c.getNotBefore().toInstant()
                    + " to " + c.getNotAfter().toInstant() + "); a peer that verifies it refuses it", "renew the certificate");
        }
        return new Finding(true, s + " (" + who + ", issued by " + c.getIssuerX500Principal().getName()
                + ") is valid until " + c.getNotAfter().toInstant(), "");
    }

    /** The key signs, the certificate's public key verifies: the pair belongs together, whatever the algorithm. */
    private Finding matches(PrivateKey k, X509Certificate c, Setting certSetting) throws Failed {
        String keyName = settings.keyInCertificateFile() ? certSetting + " (its key)" : settings.key().get().toString();
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
                return new Finding(true, keyName + " is the key of " + certSetting, "");
            }
        } catch (GeneralSecurityException e) {
            throw new Failed(MISMATCH_KEY + " " + keyName + " does not fit " + certSetting + " (" + subject(c) + "): "
                    + e.getMessage(), "use the key the certificate was issued for");
        }
        throw new Failed(MISMATCH_KEY + " " + keyName + " is not the key of " + certSetting + " (" + subject(c) + ")",
                "use the key the certificate was issued for");
    }

    private List<X509Certificate> anchors() throws Failed {
        List<X509Certificate> out = new ArrayList<>();
        if (settings.ca().isPresent()) {
            out.addAll(anchors(settings.ca().get(), false));
        }
        if (settings.capath().isPresent()) {
            out.addAll(anchors(settings.capath().get(), true));
        }
        return out;
    }

    private static List<X509Certificate> anchors(Setting s, boolean directory) throws Failed {
        try {
            return directory ? PemFiles.directory(s.path()) : PemFiles.certificates(s.path());
        } catch (IOException e) {
            throw new Failed(StockLine.PEM_AND_CA_READABLE.text() + ". " + s + ": " + e.getMessage(),
                    "point " + s.name() + " at the CA's PEM certificate (or a hashed CA directory), readable by the"
                            + " mysql user");
        }
    }

    /** openssl verify -CAfile/-CApath -untrusted cert cert: intermediates from the cert file, every date checked. */
    private static Finding chainsTo(Setting certSetting, List<X509Certificate> chain, List<X509Certificate> anchors,
                                    Setting caSetting, Instant now) throws Failed {
        try {
            Set<TrustAnchor> trust = new LinkedHashSet<>();
            for (X509Certificate a : anchors) {
                trust.add(new TrustAnchor(a, null));
            }
            PKIXParameters params = new PKIXParameters(trust);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            List<X509Certificate> path = chain.stream().filter(c -> !anchors.contains(c)).toList();
            var result = (java.security.cert.PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            X509Certificate root = result.getTrustAnchor().getTrustedCert();
            if (now.isAfter(root.getNotAfter().toInstant()) || now.isBefore(root.getNotBefore().toInstant())) {
                throw new Failed(MISMATCH_CA + " The CA certificate " + subject(root) + " in " + caSetting
                        + " is not valid now (" + root.getNotBefore().toInstant() + " to " + root.getNotAfter().toInstant()
                        + ")", "renew the CA, and the certificates it issued");
            }
            return new Finding(true, certSetting + " is issued by the CA in " + caSetting + " (" + subject(root) + ")", "");
        } catch (CertPathValidatorException e) {
            throw new Failed(MISMATCH_CA + " " + certSetting + " (" + subject(chain.get(0)) + ") against " + caSetting
                    + ": " + reason(e, chain.get(0), now), "use the CA that issued the certificate (and put intermediates"
                    + " in the certificate file), or renew an expired certificate");
        } catch (GeneralSecurityException e) {
            throw new Failed(MISMATCH_CA + " " + certSetting + " against " + caSetting + ": " + e.getMessage(),
                    "use the CA that issued the certificate");
        }
    }

    private static String reason(CertPathValidatorException e, X509Certificate leaf, Instant now) {
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            return "the certificate expired on " + leaf.getNotAfter().toInstant();
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return "the certificate is not valid before " + leaf.getNotBefore().toInstant();
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
            return "a certificate of its chain expired (" + e.getMessage() + ")";
        }
        return "no CA there issued it (" + e.getMessage() + ")";
    }

    static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }
}
