package org.sstorchestrator.states.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The common PEM files read with the JDK alone: certificates, and unencrypted PKCS#8 or
 * PKCS#1 RSA keys, which is what {@code openssl req -newkey} and {@code genrsa} write. The
 * first class a run loads from BouncyCastle's signed jars costs it about 170 ms (the jars'
 * signatures are checked, and CDS cannot archive signed classes), on both nodes of a TLS SST,
 * before the joiner is ready and before the donor connects. Anything else here (an EC or
 * encrypted key, headers, a block of another type, a block the JDK will not parse) answers
 * empty, and {@link PemFiles} reads the file with BouncyCastle as before, with its messages.
 */
final class JdkPem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)-----END \\1-----");
    private static final Set<String> CERTIFICATE = Set.of("CERTIFICATE", "X509 CERTIFICATE");
    private static final Set<String> KNOWN = Set.of("CERTIFICATE", "X509 CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY");
    /** rsaEncryption's AlgorithmIdentifier, DER: SEQUENCE { OID 1.2.840.113549.1.1.1, NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
        0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private JdkPem() {
    }

    /** The file's blocks when every one is of a type read here, without headers; else empty. */
    static Optional<List<PemFiles.Block>> blocks(Path file) {
        String text;
        try {
            if (Files.isDirectory(file) || Files.size(file) > (1 << 20)) {
                return Optional.empty();
            }
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty(); // PemFiles names the reason
        }
        List<PemFiles.Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        int begins = text.split("-----BEGIN ", -1).length - 1;
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) {
                return Optional.empty();
            }
            try {
                out.add(new PemFiles.Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return out.size() == begins && !out.isEmpty() ? Optional.of(out) : Optional.empty();
    }

    static Optional<List<X509Certificate>> certificates(List<PemFiles.Block> blocks) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (PemFiles.Block b : blocks) {
                if (CERTIFICATE.contains(b.type())) {
                    certs.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
        return certs.isEmpty() ? Optional.empty() : Optional.of(certs);
    }

    /** The first key of the file, as PemFiles would find it; empty when there is none or it is not read here. */
    static Optional<PrivateKey> privateKey(List<PemFiles.Block> blocks) {
        for (PemFiles.Block b : blocks) {
            if (b.type().equals("PRIVATE KEY")) {
                return pkcs8(b.der(), List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"));
            }
            if (b.type().equals("RSA PRIVATE KEY")) {
                return pkcs8(wrapPkcs1(b.der()), List.of("RSA"));
            }
        }
        return Optional.empty();
    }

    private static Optional<PrivateKey> pkcs8(byte[] der, List<String> algorithms) {
        for (String a : algorithms) {
            try {
                return Optional.of(KeyFactory.getInstance(a).generatePrivate(new PKCS8EncodedKeySpec(der)));
            } catch (GeneralSecurityException | RuntimeException notThisOne) {
                // the next algorithm, or BouncyCastle
            }
        }
        return Optional.empty();
    }

    /** PKCS#1 RSAPrivateKey inside PKCS#8: SEQUENCE { INTEGER 0, rsaEncryption, OCTET STRING { key } }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x02);
        body.write(0x01);
        body.write(0x00);
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(length(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(length(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
}
