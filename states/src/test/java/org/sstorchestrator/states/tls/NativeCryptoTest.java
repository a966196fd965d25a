package org.sstorchestrator.states.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeCryptoTest {

    @Test
    void theProviderIsUsedOnlyFromTheBuildsCopyOnTheLibraryPathAndNotWhenSwitchedOff(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve(org.sstorchestrator.wire.BundledNative.directory());
        assertEquals(Optional.of("no " + dir.resolve(NativeCrypto.LIBRARY)), NativeCrypto.unusable("", dir, dir.toString()),
                "without the build's copy the provider would copy its own into /tmp");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(NativeCrypto.LIBRARY), "");
        assertEquals(Optional.of(dir + " not on java.library.path"), NativeCrypto.unusable("", dir, "/usr/lib"));
        assertEquals(Optional.empty(), NativeCrypto.unusable("", dir, "/usr/lib" + File.pathSeparator + dir + "/."));
        assertEquals(Optional.of(NativeCrypto.SWITCH + "=off"), NativeCrypto.unusable(" OFF", dir, dir.toString()));
    }

    /** Tests from Maven put no library on the path: TLS there runs, and is tested, on the JDK's providers. */
    @Test
    void withoutTheLibraryOnThePathTheJdksProvidersStayAndTheRecordSaysWhy() {
        assertFalse(NativeCrypto.install());
        assertTrue(NativeCrypto.describe().startsWith("the JDK's ("), NativeCrypto.describe());
        assertFalse(java.security.Security.getProviders()[0].getName().contains("Corretto"));
    }

    @Test
    void aFailedSelfTestIsReportedWithItsWordsAndAPassedOneIsNot() {
        assertEquals(Optional.empty(), NativeCrypto.failure(() -> { }));
        assertEquals(Optional.of("HMAC SHA-256 self-test failed"), NativeCrypto.failure(() -> {
            throw new IllegalStateException("HMAC SHA-256 self-test failed");
        }));
        assertEquals(Optional.empty(), NativeCrypto.selfTestFailure(), "nothing installed, nothing to fail");
    }
}
