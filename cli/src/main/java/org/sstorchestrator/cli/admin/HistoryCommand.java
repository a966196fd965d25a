package org.sstorchestrator.cli.admin;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.sstorchestrator.cli.cluster.ClusterSst;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunFilter;
import org.sstorchestrator.persistence.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sst-admin history}: one line per run, newest first. Reads only. */
@Command(name = "history", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused or failed; the message names the value and the reason", "2:invalid usage"},
        description = "Lists SST runs, newest first: id, role, peer, start, duration, outcome, last stage, bytes, exit code;"
                + " with --cluster, the SSTs of every node from the cluster's history, donor and joiner on one line.")
public final class HistoryCommand implements Callable<Integer> {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    HistoryOptions where;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Option(names = "--cluster", description = "the cluster's SST history ([sst] cluster-history) instead of this node's:"
            + " every node's runs, the donor's and the joiner's side of each SST on one line")
    boolean cluster;

    @Option(names = "--role", description = "only runs of this role (joiner or donor)")
    String role;

    @Option(names = "--outcome", description = "only runs that ended so: completed, failed, interrupted or running")
    String outcome;

    @Option(names = "--since", description = "only runs started at or after this: 2026-11-20, 2026-11-20T10:00:00Z,"
            + " or an age such as 90m, 12h, 7d")
    String since;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many runs (default ${DEFAULT-VALUE})")
    int limit;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (role != null && !role.equals("joiner") && !role.equals("donor")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--role '" + role
                    + "' is neither joiner nor donor");
        }
        if (outcome != null && !java.util.List.of("completed", "failed", "interrupted", "running").contains(outcome)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--outcome '" + outcome
                    + "' is not one of completed, failed, interrupted, running");
        }
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--limit " + limit + " must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (cluster) {
            if (role != null || outcome != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--role and --outcome select this"
                        + " node's runs; with --cluster use --since and --limit");
            }
            List<ClusterSst> ssts = ClusterAccess.of(where).ssts(sinceMs(since, System.currentTimeMillis()), limit);
            out.print(json ? ClusterView.json(ssts) + "\n" : ClusterView.table(ssts));
            out.flush();
            return 0;
        }
        List<RunSummary> runs;
        try (HistoryDatabase db = HistoryDatabase.openForReading(where.resolve())) {
            runs = new HistoryQueries(db).history(new RunFilter(role, outcome, sinceMs(since, System.currentTimeMillis()),
                    limit));
        }
        if (json) {
            out.println(Json.runs(runs));
        } else {
            out.print(table(runs));
        }
        out.flush();
        return 0;
    }

    /** An ISO date, date-time or instant, or an age (90m, 12h, 7d) before {@code now}. */
    static Long sinceMs(String since, long now) {
        if (since == null) {
            return null;
        }
        java.util.regex.Matcher age = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(since);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            long unit = switch (age.group(2)) {
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            };
            return now - n * unit;
        }
        try {
            return Instant.parse(since).toEpochMilli();
        } catch (java.time.format.DateTimeParseException notInstant) {
            try {
                return java.time.LocalDateTime.parse(since).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            } catch (java.time.format.DateTimeParseException notDateTime) {
                try {
                    return java.time.LocalDate.parse(since).atStartOfDay(ZoneId.systemDefault()).toInstant().toEpochMilli();
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IllegalArgumentException("--since '" + since + "' is neither a date (2026-11-20), a date-time"
                            + " (2026-11-20T10:00:00) nor an age (90m, 12h, 7d)");
                }
            }
        }
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
