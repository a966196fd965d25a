package org.sstorchestrator.states.exec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sstorchestrator.states.Secret;

/**
 * A child process to run: an argv array (never a shell line), extra environment (secrets go
 * here, e.g. MYSQL_PWD, never into argv), a working directory and where its output goes.
 */
public record Command(Path program, List<String> args, Map<String, Secret> secretEnv, Path workdir, Path logFile) {

    public Command {
        args = List.copyOf(args);
        secretEnv = Map.copyOf(secretEnv);
    }

    public static Command of(Path program, List<String> args) {
        return new Command(program, args, Map.of(), null, null);
    }

    public Command withLog(Path log) {
        return new Command(program, args, secretEnv, workdir, log);
    }

    public Command inDirectory(Path dir) {
        return new Command(program, args, secretEnv, dir, logFile);
    }

    public Command withSecretEnv(String name, Secret value) {
        java.util.HashMap<String, Secret> env = new java.util.HashMap<>(secretEnv);
        env.put(name, value);
        return new Command(program, args, env, workdir, logFile);
    }

    public List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        return argv;
    }

    /** argv for logs and the history: any argument holding a secret value is masked. */
    public List<String> maskedArgv() {
        List<String> out = new ArrayList<>();
        for (String a : argv()) {
            String shown = a;
            for (Secret s : secretEnv.values()) {
                if (!s.isEmpty() && a.contains(s.reveal())) {
                    shown = a.replace(s.reveal(), "****");
                }
            }
            out.add(shown);
        }
        return out;
    }

    public String name() {
        return program.getFileName().toString();
    }
}
