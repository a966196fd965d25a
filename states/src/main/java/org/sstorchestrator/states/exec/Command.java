package org.sstorchestrator.states.exec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sstorchestrator.states.text.Secret;

/**
 * A child process to run: an argv array (never a shell line), extra environment (secrets go
 * here, e.g. MYSQL_PWD, never into argv), a working directory and where its output goes.
 */
public record Command(Path program, List<String> args, Map<String, Secret> secretEnv, Path workdir, Path logFile,
                      String syslogName) {

    public Command {
        args = List.copyOf(args);
        secretEnv = Map.copyOf(secretEnv);
    }

    public static Command of(Path program, List<String> args) {
        return new Command(program, args, Map.of(), null, null, null);
    }

    public Command withLog(Path log) {
        return new Command(program, args, secretEnv, workdir, log, syslogName);
    }

    /**
     * In syslog mode, its output also goes to syslog under {@code <tag prefix><name>}, as the
     * stock script pipes it to logger ({@code innobackupex-apply} ...); its log file is kept all the same.
     */
    public Command withSyslog(String name) {
        return new Command(program, args, secretEnv, workdir, logFile, name);
    }

    public Command inDirectory(Path dir) {
        return new Command(program, args, secretEnv, dir, logFile, syslogName);
    }

    public Command withSecretEnv(String name, Secret value) {
        java.util.HashMap<String, Secret> env = new java.util.HashMap<>(secretEnv);
        env.put(name, value);
        return new Command(program, args, env, workdir, logFile, syslogName);
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
