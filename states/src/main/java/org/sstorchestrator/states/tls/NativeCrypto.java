package org.sstorchestrator.states.tls;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import org.sstorchestrator.wire.BundledNative;

/**
 * AWS-LC's AES-GCM, ECDH, RSA and ECDSA under JSSE, through the Amazon Corretto Crypto Provider
 * installed ahead of the JDK's own. JSSE keeps the TLS protocol (and its checks); only the
 * primitives move to native code: the JDK 17 ones need C2 for their AES and GHASH intrinsics
 * (a JVM with C2 spends a core compiling the rest of the run twice) and interpret a cold
 * handshake's big-number arithmetic.
 *
 * <p>The provider's native library is the build's copy in {@code lib/native/<os>-<arch>/},
 * which the launcher puts on {@code java.library.path}: the provider would otherwise copy it
 * (10 MB) out of its jar into /tmp at every start. Without that copy (another platform, tests
 * from Maven) or with {@code -Dsst.native-crypto=off}, the JDK's providers do the work, as
 * before, in a JVM with C2 (the launcher and {@code Relaunch} see to that).
 */
public final class NativeCrypto {

    /** {@code -Dsst.native-crypto=off} keeps the JDK's providers. */
    public static final String SWITCH = "sst.native-crypto";
    /** The provider's native library in lib/native/<os>-<arch>/, by the name the launcher looks for (lib/jvm-flags.bash). */
    public static final String LIBRARY = "libamazonCorrettoCryptoProvider.so";
    private static final String PROPERTY = "com.amazon.corretto.crypto.provider.";

    private static Boolean installed;
    private static String state = "";

    private NativeCrypto() {
    }

    /** Installs the provider first in line, once; whether it is there. */
    public static synchronized boolean install() {
        if (installed == null) {
            try {
                installed = tryInstall();
            } catch (RuntimeException | LinkageError e) { // the provider's class or its initialization failed
                state = "the JDK's (AWS-LC did not load: " + e + ")";
                installed = false;
            }
        }
        return installed;
    }

    /** What does this JVM's TLS crypto, for the run's record. */
    public static synchronized String describe() {
        return state;
    }

    /**
     * Empty when the installed provider passed its self-tests (AWS-LC's own, its HMACs), which
     * it starts in the background when loaded and any algorithm whose test failed refuses to
     * work: a TLS run checks this in preflight, so such a failure ends it there, named, instead
     * of in a handshake that would blame the peer.
     */
    public static synchronized Optional<String> selfTestFailure() {
        if (!Boolean.TRUE.equals(installed)) {
            return Optional.empty();
        }
        return failure(AmazonCorrettoCryptoProvider.INSTANCE::assertHealthy);
    }

    static Optional<String> failure(Runnable check) {
        try {
            check.run();
            return Optional.empty();
        } catch (RuntimeException | Error e) {
            return Optional.of(String.valueOf(e.getMessage() != null ? e.getMessage() : e));
        }
    }

    private static boolean tryInstall() {
        Path dir;
        try {
            dir = BundledNative.besideJarOf(AmazonCorrettoCryptoProvider.class);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            state = "the JDK's (no AWS-LC provider jar here)";
            return false;
        }
        Optional<String> unusable = unusable(System.getProperty(SWITCH, ""), dir,
                System.getProperty("java.library.path", ""));
        if (unusable.isPresent()) {
            state = "the JDK's (" + unusable.get() + ")";
            return false;
        }
        System.setProperty(PROPERTY + "useExternalLib", "true");
        // the primitives only: random numbers stay the JDK's (/dev/urandom), for the history's keys and JSSE's too
        System.setProperty(PROPERTY + "registerSecureRandom", "false");
        AmazonCorrettoCryptoProvider p = AmazonCorrettoCryptoProvider.INSTANCE;
        if (p.getLoadingError() != null) {
            state = "the JDK's (AWS-LC did not load: " + p.getLoadingError() + ")";
            return false;
        }
        Security.insertProviderAt(p, 1);
        // a JDK that takes signed providers only (ours is unsigned) passes it over without a word
        boolean used;
        try {
            used = Cipher.getInstance("AES/GCM/NoPadding").getProvider() == p;
        } catch (java.security.GeneralSecurityException e) {
            used = false;
        }
        if (!used) {
            Security.removeProvider(p.getName());
            state = "the JDK's (this JDK does not use AWS-LC's provider for AES/GCM)";
            return false;
        }
        state = "AWS-LC (" + p.getName() + " " + p.getVersionStr() + ")";
        return true;
    }

    /** Why the provider is not to be loaded here, if it is not: switched off, or no build's copy on the library path. */
    static Optional<String> unusable(String switchValue, Path dir, String libraryPath) {
        if ("off".equalsIgnoreCase(switchValue.trim())) {
            return Optional.of(SWITCH + "=off");
        }
        Path lib = dir.resolve(LIBRARY);
        if (!Files.isRegularFile(lib)) {
            return Optional.of("no " + lib);
        }
        Path wanted = dir.toAbsolutePath().normalize();
        boolean onPath = Arrays.stream(libraryPath.split(File.pathSeparator))
                .anyMatch(p -> !p.isBlank() && Path.of(p).toAbsolutePath().normalize().equals(wanted));
        return onPath ? Optional.empty() : Optional.of(dir + " not on java.library.path");
    }
}
