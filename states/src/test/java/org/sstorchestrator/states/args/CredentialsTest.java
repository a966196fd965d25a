package org.sstorchestrator.states.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.text.Secret;

class CredentialsTest {

    @Test
    void splitsTheEnvironmentAtTheFirstColon() {
        Credentials c = Credentials.resolve(Map.of("WSREP_SST_OPT_AUTH", "sst:p:a@ss w'\"`$;!"), Secret.of("cfg:x"), null);
        assertEquals("sst", c.user());
        assertEquals("p:a@ss w'\"`$;!", c.password().reveal());
    }

    @Test
    void fallsBackToConfigWhenMysqldPassesNull() {
        Credentials c = Credentials.resolve(Map.of("WSREP_SST_OPT_AUTH", "(null)"), Secret.of("cfg:pw"), null);
        assertEquals("cfg", c.user());
        assertEquals(Credentials.NONE, Credentials.resolve(Map.of(), null, null));
    }

    @Test
    void stdinLinesWinAndAreReadWithoutBlocking() {
        Credentials s = Credentials.fromStdin(new ByteArrayInputStream(
                "sst_user=u\nsst_password=p w:d\n".getBytes(StandardCharsets.UTF_8)), 60_000);
        assertEquals(new Credentials("u", Secret.of("p w:d")).password(), s.password());
        assertEquals("u", Credentials.resolve(Map.of("WSREP_SST_OPT_AUTH", "x:y"), null, s).user());
        assertNull(Credentials.fromStdin(new ByteArrayInputStream(new byte[0]), 0));
    }

    @Test
    void aClosedStdinEndsTheWaitAtOnceAndAnOpenSilentOneAfterTheGrace() throws Exception {
        // a minute of grace: only the end of stdin can make this return within the assertion's bound
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> assertNull(Credentials.fromStdin(new ByteArrayInputStream(new byte[0]), 60_000)));
        try (java.io.PipedOutputStream keptOpen = new java.io.PipedOutputStream();
             java.io.PipedInputStream silent = new java.io.PipedInputStream(keptOpen)) {
            assertNull(Credentials.fromStdin(silent, 50));
        }
    }

    @Test
    void neitherSecretNorCredentialsPrintTheirPassword() {
        Credentials c = new Credentials("sst", Secret.of("hunter2"));
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertEquals("****", Secret.of("hunter2").toString());
    }
}
