package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
    void theSecondJvmGetsTheCompilerDirectivesRightAfterItsMark() {
        Path file = Path.of("/opt/lib/c2-for-crypto.json");
        List<String> c = Relaunch.commandWithC2("/usr/bin/java", List.of("-XX:TieredStopAtLevel=1", "-cp", "x", "Main"), 7,
                Optional.of(file)).orElseThrow();
        assertEquals(List.of("/usr/bin/java", "-Dsst.relaunched.from=7"), c.subList(0, 2));
        assertEquals(Relaunch.directiveFlags(file), c.subList(2, c.size() - 3));
        assertEquals(List.of("-cp", "x", "Main"), c.subList(c.size() - 3, c.size()));
        assertTrue(Relaunch.directiveFlags(file).contains("-XX:CompilerDirectivesFile=/opt/lib/c2-for-crypto.json"));
    }

    /** A TLS run the launcher starts with C2 at once gets the same flags as one that relaunches. */
    @Test
    void theLauncherStartsATlsRunWithTheSameFlagsAsTheRelaunch() throws Exception {
        String launcher = java.nio.file.Files.readString(Path.of("src/main/launcher/wsrep_sst_mariabackup_sm"));
        String tier = launcher.substring(launcher.indexOf("TIER=(-XX:+Unlock"));
        tier = tier.substring(0, tier.indexOf(')') + 1);
        for (String flag : Relaunch.directiveFlags(Path.of("$LIB/c2-for-crypto.json"))) {
            assertTrue(tier.contains(flag), flag + " is not in the launcher's " + tier);
        }
        assertEquals(Relaunch.directiveFlags(Path.of("x")).size(), tier.split("-XX:").length - 1, tier);
    }

    /**
     * The shipped directives parse (a file the JVM refuses stops it before main: every TLS SST
     * would fail), and the JVM says nothing on stdout about them: without -DisplayVMOutput it
     * prints "2 compiler directives added" there, and mysqld took that for the ready line.
     */
    @Test
    void aJvmStartsWithTheShippedDirectivesAndWritesNothingOnStdout() throws Exception {
        Path file = Path.of("src/main/jvm", Relaunch.DIRECTIVES).toAbsolutePath();
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Relaunch.directiveFlags(file));
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "the JVM refused " + file);
        assertEquals("", stdout);
    }

    @Test
    void theSecondJvmRunsTheSameCommandWithoutTheC1LimitMarkedWithTheFirstsPid() {
        List<String> args = List.of("-Dsst.launched.us=1796000000000000", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", "/opt/lib/*", "org.sstorchestrator.cli.WsrepSstMain", "--role", "joiner", "--address", "h:1");
        assertEquals(Optional.of(List.of("/usr/bin/java", "-Dsst.relaunched.from=42", "-Dsst.launched.us=1796000000000000",
                "-XX:+UseSerialGC", "-cp", "/opt/lib/*", "org.sstorchestrator.cli.WsrepSstMain", "--role", "joiner",
                "--address", "h:1")), Relaunch.commandWithC2("/usr/bin/java", args, 42, Optional.empty()));
        assertEquals(Optional.empty(), Relaunch.commandWithC2("/usr/bin/java",
                List.of("-XX:+UseSerialGC", "org.sstorchestrator.cli.WsrepSstMain"), 42, Optional.empty()),
                "already has C2: never again");
    }
}
