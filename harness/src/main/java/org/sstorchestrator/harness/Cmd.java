package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool of the local cluster (argv only) and fails loudly with its output. */
final class Cmd {

    private Cmd() {
    }

    static void run(Duration timeout, Path log, Map<String, String> env, String... argv)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(argv)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(argv[0] + " timed out; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(argv[0] + " exited " + p.exitValue() + ": " + Files.readString(log));
        }
    }

    static String output(Duration timeout, Map<String, String> env, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(argv)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(argv[0] + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IllegalStateException(argv[0] + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }
}
