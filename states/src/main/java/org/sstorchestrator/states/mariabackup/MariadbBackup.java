package org.sstorchestrator.states.mariabackup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Failures;
import org.sstorchestrator.states.exec.ChildLog;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;

/** Builds mariadb-backup command lines the way the stock script orders them, and judges their exit. */
public final class MariadbBackup {

    private MariadbBackup() {
    }

    /** --defaults-file must come first on a MariaDB tool's command line. */
    public static List<String> withDefaults(SstContext ctx, List<String> rest) {
        List<String> args = new ArrayList<>(ctx.args.defaultsOptions());
        args.addAll(rest);
        return args;
    }

    /**
     * Runs a mariadb-backup step to completion; a non-zero exit is exit 22 naming the log, its
     * first error lines and its last line, and a remedy when the cause is known ({@link ChildLog}).
     */
    public static void runStep(SstContext ctx, String step, List<String> args, Path log) {
        Command c = Command.of(ctx.facts().get(Binaries.class).mariadbBackup(), args).withLog(log).inDirectory(ctx.datadir)
                .withSyslog(step.equals("--prepare") ? "innobackupex-apply" : "innobackupex-move");
        long logFrom = Failures.sizeOf(log);
        int code = ctx.children.run(c);
        ctx.abort.check();
        boolean prepare = step.equals("--prepare");
        if (code != 0 && !prepare) {
            StockLine.MOVE_FAILED.log(ctx.sstDir());
        }
        if (code != 0) {
            ChildLog.Summary summary = ChildLog.summarize(log, logFrom);
            throw Failures.ofChild(log, logFrom, () -> "mariadb-backup " + step + " ran out of disk space (exit code " + code
                    + "); " + summary.describe() + "; free space on that filesystem, then start the node again",
                    () -> (prepare ? StockLine.PREPARE_FAILED : StockLine.MOVE_CHECK_LOG).failure(ExitCode.EINVAL,
                            " (mariadb-backup " + step + " exited with " + code + "); " + summary.describe(), log));
        }
    }

    /** "10.11.19-MariaDB" (or the whole --version line) → true from 11.1 on. */
    public static boolean usesNewInfoName(String version) {
        return DonorVersions.Series.of(version).map(s -> s.compareTo(new DonorVersions.Series(11, 1)) >= 0).orElse(false);
    }

    /**
     * This node's mariadb-backup version ({@code 10.11.19-MariaDB}), from its {@code --version}
     * line ("mariadb-backup based on MariaDB server 10.11.19-MariaDB ...", on stderr in 10.x);
     * empty when it names none.
     */
    public static Optional<String> version(SstContext ctx) {
        ChildProcesses.Captured out = ctx.children.capture(Command.of(ctx.facts().get(Binaries.class).mariadbBackup(),
                List.of("--version")));
        Matcher m = Pattern.compile("server ([0-9]{1,3}\\.[0-9]{1,3}\\S{0,100})").matcher(out.stdout() + out.stderr());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * How mariadb-backup, and whatever else asks this node's server something, reaches it as the
     * SST user: {@code --user}, then the extra port on 127.0.0.1 (use-extra with a thread pool,
     * as stock) or mysqld's socket. The password goes in MYSQL_PWD ({@link #withPassword}).
     */
    public static List<String> serverConnection(SstContext ctx) {
        List<String> out = new ArrayList<>();
        if (!ctx.credentials.user().isEmpty()) {
            out.add("--user=" + ctx.credentials.user());
        }
        if (ctx.config.extraPort().isPresent()) {
            out.add("--host=127.0.0.1");
            out.add("--port=" + ctx.config.extraPort().get());
        } else {
            ctx.args.get("socket").ifPresent(sock -> out.add("--socket=" + sock));
        }
        return out;
    }

    /** {@code c} with the SST user's password in MYSQL_PWD, never on its command line. */
    public static Command withPassword(SstContext ctx, Command c) {
        return ctx.credentials.password().isEmpty() ? c : c.withSecretEnv("MYSQL_PWD", ctx.credentials.password());
    }
}
