package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.sstorchestrator.states.tls.NativeCrypto;

/**
 * The SST launcher run for real, in a directory of its own: lib/ as the build writes it (the JVM
 * flags file and the directives), a {@code java} that prints the arguments it was given and a
 * {@code my_print_defaults} that prints what the test says my.cnf holds. What the launcher starts
 * is then the list of lines {@link #launch} returns.
 */
final class LauncherSandbox {

    private static final Path LAUNCHER = Path.of("src/main/launcher/wsrep_sst_mariabackup_sm").toAbsolutePath();

    final Path lib;
    /** Where the launcher looks for AWS-LC's library. */
    final Path nativeDir;
    private final Path root;

    private LauncherSandbox(Path root) {
        this.root = root;
        this.lib = root.resolve("lib");
        this.nativeDir = lib.resolve("native/linux-" + System.getProperty("os.arch"));
    }

    static LauncherSandbox in(Path root) throws Exception {
        LauncherSandbox s = new LauncherSandbox(root);
        LauncherFiles.write(s.lib);
        Path bin = Files.createDirectories(root.resolve("bin"));
        script(bin.resolve("java"), "printf '%s\\n' \"$@\"");
        script(bin.resolve("my_print_defaults"), "printf '%s\\n' $FAKE_CNF");
        return s;
    }

    /** Puts AWS-LC's library where the build puts it, or takes it away. */
    void awsLc(boolean there) throws IOException {
        Path library = nativeDir.resolve(NativeCrypto.LIBRARY);
        if (there) {
            Files.createDirectories(nativeDir);
            Files.writeString(library, "");
        } else {
            Files.deleteIfExists(library);
        }
    }

    /** The java command line the launcher starts for a joiner whose my.cnf gives {@code cnf} ("--encrypt=4 ..."). */
    List<String> launch(String cnf) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "--role", "joiner", "--defaults-file",
                root.resolve("my.cnf").toString());
        pb.environment().put("SST_ORCHESTRATOR_LIB", lib.toString());
        pb.environment().put("SST_JAVA", root.resolve("bin/java").toString());
        pb.environment().put("PATH", root.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("FAKE_CNF", cnf);
        pb.environment().remove("SST_LAUNCH_C1");
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor());
        return out;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
