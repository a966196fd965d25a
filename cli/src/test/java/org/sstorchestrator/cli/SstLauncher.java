package org.sstorchestrator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs bin/wsrep_sst_mariabackup_sm as mysqld would: argv, environment, stdout read separately. */
final class SstLauncher {

    record Result(int exitCode, String stdout, String stderr) {
    }

    private SstLauncher() {
    }

    static Process start(Map<String, String> env, Path stdoutFile, Path stderrFile, String... args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(ClusterFixture.appBin().resolve("wsrep_sst_mariabackup_sm").toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectOutput(stdoutFile.toFile()).redirectError(stderrFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        return pb.start();
    }

    static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process p = start(env, out, err, args);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the SST process did not end within 60 s: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err));
    }
}
