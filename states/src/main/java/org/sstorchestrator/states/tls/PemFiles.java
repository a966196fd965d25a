package org.sstorchestrator.states.tls;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.DHParameter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.DomainParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * PEM files as openssl (and so socat) reads them, with BouncyCastle: certificates (a file
 * may hold a chain, and a key beside it), private keys in PKCS#1, PKCS#8 and EC form, a
 * hashed CA directory, DH parameters. Each failure is an {@link IOException} whose message
 * says what is wrong with the file, for a message that names the setting too.
 */
final class PemFiles {

    /** openssl's lookup names in a CA directory: the subject hash, '.', a sequence number. */
    private static final Pattern HASHED = Pattern.compile("[0-9a-f]{8}\\.[0-9]+");

    private PemFiles() {
    }

    static List<X509Certificate> certificates(Path file) throws IOException {
        Optional<List<Block>> plain = JdkPem.blocks(file);
        if (plain.isPresent()) {
            Optional<List<X509Certificate>> fast = JdkPem.certificates(plain.get());
            if (fast.isPresent()) {
                return fast.get();
            }
        }
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : objects(file)) {
            if (o instanceof X509CertificateHolder h) {
                try {
                    certs.add(converter.getCertificate(h));
                } catch (GeneralSecurityException e) {
                    throw new IOException("a certificate in it cannot be read: " + e.getMessage(), e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new IOException("it holds no PEM certificate");
        }
        return certs;
    }

    /** The file's private key, if it holds one. */
    static Optional<PrivateKey> privateKey(Path file) throws IOException {
        Optional<List<Block>> plain = JdkPem.blocks(file);
        if (plain.isPresent()) {
            Optional<PrivateKey> fast = JdkPem.privateKey(plain.get());
            if (fast.isPresent()) {
                return fast;
            }
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : objects(file)) {
            try {
                if (o instanceof PEMKeyPair pair) { // PKCS#1 RSA, or EC (its public part may be left out)
                    return Optional.of(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
                if (o instanceof PrivateKeyInfo info) {
                    return Optional.of(converter.getPrivateKey(info));
                }
            } catch (IOException | RuntimeException e) {
                throw new IOException("its private key cannot be read: " + e.getMessage(), e);
            }
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new IOException("its key is encrypted with a passphrase, which an SST cannot type");
            }
        }
        return Optional.empty();
    }

    /**
     * The certificates of a CA directory, as openssl's {@code -CApath} finds them: only files
     * under hashed names ({@code <subject hash>.<n>}, as {@code openssl rehash} makes them).
     */
    static List<X509Certificate> directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(Files.exists(dir) ? "it is not a directory" : "no such directory");
        }
        List<X509Certificate> certs = new ArrayList<>();
        List<Path> hashed;
        try (Stream<Path> files = Files.list(dir)) {
            hashed = files.filter(p -> HASHED.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        for (Path p : hashed) {
            try {
                certs.addAll(certificates(p));
            } catch (IOException e) {
                throw new IOException(p.getFileName() + " in it: " + e.getMessage(), e);
            }
        }
        if (certs.isEmpty()) {
            throw new IOException("it holds no certificate under a hashed name (<hash>.0, as 'openssl rehash " + dir
                    + "' makes them), which is all openssl looks up there");
        }
        return certs;
    }

    /**
     * PEM DH parameters as openssl dhparam writes them (PKCS#3 "DH PARAMETERS", or with
     * -dsaparam X9.42 "X9.42 DH PARAMETERS"): the prime and the generator.
     */
    static BigInteger[] dhParameters(Path file) throws IOException {
        try (PemReader r = new PemReader(reader(file))) {
            for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
                if (o.getType().equals("DH PARAMETERS")) {
                    DHParameter p = DHParameter.getInstance(o.getContent());
                    return new BigInteger[] {p.getP(), p.getG()};
                }
                if (o.getType().equals("X9.42 DH PARAMETERS")) {
                    DomainParameters p = DomainParameters.getInstance(o.getContent());
                    return new BigInteger[] {p.getP(), p.getG()};
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("its DH parameters cannot be read: " + e.getMessage(), e);
        }
        throw new IOException("it holds no PEM DH PARAMETERS (openssl dhparam -out <file> 2048 makes them)");
    }

    /** One PEM block: its type ("CERTIFICATE") and its DER bytes. */
    record Block(String type, byte[] der) {
    }

    private static List<Object> objects(Path file) throws IOException {
        List<Object> out = new ArrayList<>();
        try (PEMParser pem = new PEMParser(reader(file))) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                out.add(o);
            }
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("it is not a valid PEM file: " + e.getMessage(), e);
        }
        return out;
    }

    private static Reader reader(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("it is a directory");
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("permission denied (the SST runs as the mysql user)", e);
        }
    }
}
