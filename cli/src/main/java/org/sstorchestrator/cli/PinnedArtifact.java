package org.sstorchestrator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A build step: the artifacts the build unpacks or repacks into {@code lib/} (AWS-LC's provider,
 * whose signature the repack strips; zstd-jni, whose native library it extracts) must be the
 * very files the build was written against (issue 18). Maven checks a download's checksum
 * against the repository's own, which only warns by default, and a repacked jar carries no
 * signature of its own any more: so the build pins each one's SHA-256, and for a signed jar
 * checks, before anything is stripped, that every entry is signed by the pinned certificate.
 * {@code cli/pom.xml} runs this before it unpacks; a mismatch fails the build.
 *
 * <p>Arguments: {@code <name> <file> <sha256> [<signer certificate sha256>]}.
 */
public final class PinnedArtifact {

    private PinnedArtifact() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: PinnedArtifact <name> <file> <sha256> [<signer certificate sha256>]");
            System.exit(2);
        }
        try {
            check(args[0], Path.of(args[1]), args[2], args.length == 4 ? Optional.of(args[3]) : Optional.empty());
            System.out.println("[pinned] " + args[0] + ": SHA-256 " + args[2] + (args.length == 4 ? ", signed by the pinned certificate" : ""));
        } catch (IOException | GeneralSecurityException e) {
            System.err.println("[pinned] " + e.getMessage());
            System.exit(1);
        }
    }

    /** Throws, naming the artifact and both values, unless {@code file} is the pinned one. */
    static void check(String name, Path file, String sha256, Optional<String> signer) throws IOException,
            GeneralSecurityException {
        String actual = hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new GeneralSecurityException(name + " (" + file + ") has SHA-256 " + actual + ", not the pinned " + sha256
                    + ": the build refuses to unpack it. If the version was raised on purpose, check the new artifact"
                    + " and pin its hash in pom.xml");
        }
        if (signer.isPresent()) {
            try {
                signedBy(name, file, signer.get());
            } catch (SecurityException e) { // an entry whose digest the signature does not vouch for
                throw new GeneralSecurityException(name + " (" + file + ") fails its signature: " + e.getMessage(), e);
            }
        }
    }

    /** Every entry but the signature's own files is signed, and by the certificate pinned. */
    private static void signedBy(String name, Path file, String certSha256) throws IOException, GeneralSecurityException {
        int signed = 0;
        try (JarFile jar = new JarFile(file.toFile(), true)) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (entry.isDirectory() || entry.getName().startsWith("META-INF/")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream()); // reading it whole is what verifies it
                }
                CodeSigner[] signers = entry.getCodeSigners();
                boolean pinned = false;
                for (CodeSigner s : signers == null ? new CodeSigner[0] : signers) {
                    Certificate leaf = s.getSignerCertPath().getCertificates().get(0);
                    pinned |= hex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())).equalsIgnoreCase(certSha256);
                }
                if (!pinned) {
                    throw new GeneralSecurityException(name + " (" + file + "): " + entry.getName() + " is not signed by the"
                            + " pinned certificate " + certSha256);
                }
                signed++;
            }
        }
        if (signed == 0) {
            throw new GeneralSecurityException(name + " (" + file + ") holds nothing signed");
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
