package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 5: the build unpacks and repacks only the artifacts it pins. The pins are the
 * build's own (pom.xml, passed in by surefire), the artifacts the ones Maven resolved for it.
 */
class PinnedArtifactTest {

    @TempDir
    Path tmp;

    private static Path jarOf(String className) throws Exception {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Path accp() throws Exception {
        return jarOf("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
    }

    private static String pin(String name) {
        String v = System.getProperty(name);
        assertTrue(v != null && v.matches("[0-9a-f]{64}"), name + " is not passed in from pom.xml: " + v);
        return v;
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void theArtifactsTheBuildResolvedAreThePinnedOnesAndTheProviderIsSignedByThePinnedCertificate() throws Exception {
        PinnedArtifact.check("zstd-jni", jarOf("com.github.luben.zstd.Zstd"), pin("zstd-jni.sha256"), Optional.empty());
        PinnedArtifact.check("accp", accp(), pin("accp.sha256"), Optional.of(pin("accp.signer.sha256")));
    }

    @Test
    void oneByteChangedFailsTheCheckNamingBothHashes() throws Exception {
        Path copy = tmp.resolve("zstd.jar");
        byte[] b = Files.readAllBytes(jarOf("com.github.luben.zstd.Zstd"));
        b[b.length / 2] ^= 1;
        Files.write(copy, b);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> PinnedArtifact.check("zstd-jni", copy, pin("zstd-jni.sha256"), Optional.empty()));
        assertTrue(e.getMessage().contains(sha256(copy)) && e.getMessage().contains(pin("zstd-jni.sha256")), e.getMessage());
    }

    /** A jar changed inside and pinned anew (its own hash) still fails: its signature no longer vouches for it. */
    @Test
    void aSignedJarChangedInsideFailsItsSignatureWhateverItsHash() throws Exception {
        Path changed = tmp.resolve("changed.jar");
        Path unsigned = tmp.resolve("unsigned.jar");
        boolean[] once = {false};
        try (ZipFile in = new ZipFile(accp().toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(changed));
             ZipOutputStream bare = new ZipOutputStream(Files.newOutputStream(unsigned))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] data;
                try (InputStream s = in.getInputStream(e)) {
                    data = s.readAllBytes();
                }
                if (!once[0] && e.getName().endsWith(".class")) {
                    data[data.length - 1] ^= 1;
                    once[0] = true;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                if (!e.getName().matches("META-INF/[^/]+\\.(SF|RSA)")) {
                    bare.putNextEntry(new ZipEntry(e.getName()));
                    bare.write(data);
                }
            }
        }
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> PinnedArtifact.check("accp", changed, sha256(changed), Optional.of(pin("accp.signer.sha256"))));
        assertTrue(e.getMessage().contains("fails its signature"), e.getMessage());
        GeneralSecurityException u = assertThrows(GeneralSecurityException.class,
                () -> PinnedArtifact.check("accp", unsigned, sha256(unsigned), Optional.of(pin("accp.signer.sha256"))));
        assertTrue(u.getMessage().contains("not signed by the pinned certificate"), u.getMessage());
    }

    /** The build's own step: a wrong pin stops it with a non-zero exit. */
    @Test
    void theBuildStepExitsNonZeroOnAMismatch() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), PinnedArtifact.class.getName(), "zstd-jni",
                jarOf("com.github.luben.zstd.Zstd").toString(), "0".repeat(64)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor() == 1 && out.contains("the build refuses to unpack it"), out);
    }
}
