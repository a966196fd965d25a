package org.sstorchestrator.cli.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A process's whole command line, as the kernel keeps it in {@code /proc/<pid>/cmdline}.
 *
 * <p>{@code ProcessHandle.Info.arguments()} is no substitute: the JDK reads a fixed 4 KB of that
 * file and drops what follows, so a JVM started with 300 arguments came back with 204 (issue
 * 18), and a command re-run from it would have lost the rest. The file itself holds every
 * argument, NUL-terminated, however long.
 */
public final class ProcCommandLine {

    private ProcCommandLine() {
    }

    /** This JVM's own argv: the java binary, its options, the main class and our arguments. */
    public static Optional<List<String>> self() {
        return of(Path.of("/proc/self/cmdline"));
    }

    public static Optional<List<String>> of(Path cmdline) {
        try {
            String all = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
            if (all.isEmpty()) {
                return Optional.empty(); // a kernel thread, or a process that is exiting
            }
            // each argument ends with a NUL; an empty argument is a NUL alone
            String body = all.endsWith("\0") ? all.substring(0, all.length() - 1) : all;
            return Optional.of(List.copyOf(Arrays.asList(body.split("\0", -1))));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
