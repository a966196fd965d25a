package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.config.OptionFiles;

class RelaunchTest {

    private static OptionFiles sst(Map<String, String> options) {
        return new OptionFiles(Map.of("sst", options));
    }

    @Test
    void onlyTlsAndEncrypt1NeedC2AndARefusedConfigurationStaysForPreflightToRefuse() {
        assertFalse(Relaunch.needsC2(sst(Map.of()), Role.JOINER));
        assertFalse(Relaunch.needsC2(sst(Map.of("compressor", "zstd")), Role.DONOR));
        assertTrue(Relaunch.needsC2(sst(Map.of("encrypt", "1", "encrypt-algo", "aes-256-cbc", "encrypt-key",
                "0123456789abcdef")), Role.DONOR));
        assertTrue(Relaunch.needsC2(sst(Map.of("ssl-mode", "REQUIRED", "tca", "/etc/ca.pem", "tcert", "/etc/c.pem", "tkey",
                "/etc/k.pem")), Role.JOINER));
        assertFalse(Relaunch.needsC2(sst(Map.of("encrypt", "banana")), Role.JOINER), "refused at preflight, here");
    }

    @Test
    void theSecondJvmRunsTheSameCommandWithoutTheC1LimitMarkedWithTheFirstsPid() {
        List<String> args = List.of("-Dsst.launched.us=1796000000000000", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", "/opt/lib/*", "org.sstorchestrator.cli.WsrepSstMain", "--role", "joiner", "--address", "h:1");
        assertEquals(Optional.of(List.of("/usr/bin/java", "-Dsst.relaunched.from=42", "-Dsst.launched.us=1796000000000000",
                "-XX:+UseSerialGC", "-cp", "/opt/lib/*", "org.sstorchestrator.cli.WsrepSstMain", "--role", "joiner",
                "--address", "h:1")), Relaunch.commandWithC2("/usr/bin/java", args, 42));
        assertEquals(Optional.empty(), Relaunch.commandWithC2("/usr/bin/java",
                List.of("-XX:+UseSerialGC", "org.sstorchestrator.cli.WsrepSstMain"), 42), "already has C2: never again");
    }
}
