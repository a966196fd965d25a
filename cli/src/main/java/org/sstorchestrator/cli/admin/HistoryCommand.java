package org.sstorchestrator.cli.admin;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sst-admin history}: one line per run, newest first. Reads only. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Lists SST runs, newest first: id, role, peer, start, duration, outcome, last stage, bytes, exit code.")
public final class HistoryCommand implements Callable<Integer> {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    HistoryOptions where;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Option(names = "--role", description = "only runs of this role (joiner or donor)")
    String role;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many runs (default ${DEFAULT-VALUE})")
    int limit;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<RunSummary> runs;
        try (HistoryDatabase db = HistoryDatabase.openForReading(where.resolve())) {
            runs = new HistoryQueries(db).history(role, limit);
        }
        if (json) {
            out.println(Json.runs(runs));
        } else {
            out.print(table(runs));
        }
        out.flush();
        return 0;
    }

    static String table(List<RunSummary> runs) {
        StringBuilder out = new StringBuilder(String.format("%-8s  %-6s  %-21s  %-19s  %8s  %-11s  %-15s  %12s  %4s%n",
                "RUN", "ROLE", "PEER", "STARTED", "DURATION", "OUTCOME", "LAST STAGE", "BYTES", "EXIT"));
        for (RunSummary r : runs) {
            out.append(String.format("%-8s  %-6s  %-21s  %-19s  %8s  %-11s  %-15s  %12d  %4s%n",
                    r.id().substring(0, 8), r.role(), r.peer() == null ? "-" : r.peer(),
                    LOCAL.format(Instant.ofEpochMilli(r.startedMs())),
                    r.durationMs() == null ? "-" : String.format("%.1fs", r.durationMs() / 1000.0),
                    r.outcome(), r.lastStage() == null ? "-" : r.lastStage(), r.bytes(),
                    r.exitCode() == null ? "-" : r.exitCode().toString()));
        }
        if (runs.isEmpty()) {
            out.append("(no runs recorded)\n");
        }
        return out.toString();
    }
}
