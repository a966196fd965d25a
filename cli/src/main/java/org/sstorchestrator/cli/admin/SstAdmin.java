package org.sstorchestrator.cli.admin;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sst-admin}: reads a node's SST run history. */
@Command(name = "sst-admin", mixinStandardHelpOptions = true, version = "sst-admin 0.1.0",
        description = "Shows the SST runs recorded on this node by wsrep_sst_mariabackup_sm.",
        subcommands = {HistoryCommand.class, InspectCommand.class, LogsCommand.class, WatchCommand.class,
                CleanupCommand.class, ResumeCommand.class, DoctorCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the history could not be read, a doctor check failed, or the action was refused (the message says why)",
                "2:invalid usage"})
public final class SstAdmin implements Runnable {

    private final PrintWriter out;
    private final PrintWriter err;

    public SstAdmin() {
        this(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    public SstAdmin(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new SstAdmin().execute(args));
    }

    public int execute(String... args) {
        java.util.logging.LogManager.getLogManager().reset(); // library chatter never reaches our output
        CommandLine cl = new CommandLine(this);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("sst-admin: " + e.getMessage());
            cmd.getErr().flush();
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }
}
