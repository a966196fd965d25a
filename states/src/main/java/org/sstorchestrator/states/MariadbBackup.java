package org.sstorchestrator.states;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sstorchestrator.states.exec.ChildLog;
import org.sstorchestrator.states.exec.Command;
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
        if (code != 0 && Failures.childRanOutOfSpace(log, logFrom)) {
            throw new SstException(ExitCode.ENOSPC, "mariadb-backup " + step + " ran out of disk space (exit code " + code
                    + "); " + ChildLog.summarize(log, logFrom).describe() + "; free space on that filesystem, then start"
                    + " the node again");
        }
        if (code != 0) {
            String why = " (mariadb-backup " + step + " exited with " + code + "); " + ChildLog.summarize(log, logFrom)
                    .describe();
            throw (prepare ? StockLine.PREPARE_FAILED : StockLine.MOVE_CHECK_LOG).failure(ExitCode.EINVAL, why, log);
        }
    }

    /** "mariadb-backup based on MariaDB server 10.11.19-MariaDB ..." → true from 11.1 on. */
    public static boolean usesNewInfoName(String versionOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("server (\\d+)\\.(\\d+)").matcher(versionOutput);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 11 || major == 11 && minor >= 1;
    }
}
