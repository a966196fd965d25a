package org.sstorchestrator.cli.admin;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.sstorchestrator.persistence.HistoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sst-admin}: reads a node's SST run history. */
@Command(name = "sst-admin", mixinStandardHelpOptions = true, version = "sst-admin 0.1.0",
        description = "Shows the SST runs recorded on this node by wsrep_sst_mariabackup_sm.",
        subcommands = {HistoryCommand.class, InspectCommand.class, LogsCommand.class, WatchCommand.class,
                StatusCommand.class, CleanupCommand.class, ResumeCommand.class, DoctorCommand.class, PublishCommand.class},
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
        SstAdmin admin = new SstAdmin();
        admin.mayHandOver = true;
        System.exit(admin.execute(args));
    }

    /** Whether this process is sst-admin's own, whose command line can be run again as another user. */
    private boolean mayHandOver;

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
        cl.setExecutionStrategy(this::asTheHistorysOwner);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Runs the command, as the user who controls the history it acts on when we are root and
     * that is another user (issue 18: {@link HistoryOwner}, {@link Handover}). Help and
     * version need no history.
     */
    private int asTheHistorysOwner(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        boolean help = false;
        for (CommandLine.ParseResult r = parsed; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
            help |= r.isUsageHelpRequested() || r.isVersionHelpRequested();
            leaf = r;
        }
        Optional<HistoryOptions> where = leaf.commandSpec().mixins().values().stream()
                .map(CommandLine.Model.CommandSpec::userObject).filter(HistoryOptions.class::isInstance)
                .map(HistoryOptions.class::cast).findFirst();
        if (!help && where.isPresent() && HistoryOwner.effectiveUid() == 0 && Handover.handedHistoryDir().isEmpty()) {
            try {
                Optional<Path> dir = where.get().resolveForHandover();
                HistoryOwner.Decision d = dir.map(p -> HistoryOwner.decide(p, 0)).orElse(HistoryOwner.Decision.AS_SELF);
                if (d.switches()) {
                    if (!mayHandOver) {
                        throw new HistoryException("the history " + dir.get() + " belongs to " + d.user()
                                + ": run bin/sst-admin, which acts on it as " + d.user() + ", or run this as " + d.user());
                    }
                    out.flush();
                    return Handover.run(d, dir.get());
                }
            } catch (HistoryException e) {
                err.println("sst-admin: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }
}
