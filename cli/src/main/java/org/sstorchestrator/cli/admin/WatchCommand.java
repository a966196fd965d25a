package org.sstorchestrator.cli.admin;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunFilter;
import org.sstorchestrator.persistence.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sst-admin watch}: a running SST's stage, bytes, total, rate and ETA, read from the
 * same history the SST writes (through its loopback server), about once a second, until the
 * run ends. Reads only.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused or failed; the message names the value and the reason", "2:invalid usage"},
        description = "Follows a running SST: stage, bytes / total, rate and ETA, until it ends.")
public final class WatchCommand implements Callable<Integer> {

    /** How long watch keeps trying when a sample cannot be read before it gives up. */
    private static final long READ_RETRY_MS = 5_000;

    @Mixin
    HistoryOptions where;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "the run (default: the newest running one)")
    String run;

    @Option(names = "--wait", defaultValue = "0", description = "seconds to wait for an SST to start (default ${DEFAULT-VALUE})")
    int waitSeconds;

    @Option(names = "--json", description = "print one JSON object per sample, then one for the end")
    boolean json;

    @Option(names = "--interval-ms", defaultValue = "1000", hidden = true)
    long intervalMs;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = where.resolve();
        String id = findRun(dir);
        if (!json) {
            out.printf("Watching run %s%n", id);
        }
        long lastBytes = -1;
        long lastAt = 0;
        double rate = 0;
        long failingSince = 0;
        while (true) {
            RunSummary s;
            Optional<HistoryQueries.Progress> p;
            String limit;
            try (HistoryDatabase db = HistoryDatabase.openForReading(dir)) {
                HistoryQueries q = new HistoryQueries(db);
                org.sstorchestrator.persistence.RunDetail d = q.detail(id);
                s = d.summary();
                limit = d.attributes().get("rate_limit"); // the donor's [sst] rlimit, in bytes/s
                p = q.progress(id);
                failingSince = 0;
            } catch (HistoryException e) {
                // an SST killed outright takes its server with it mid-query; the file is free a moment later
                failingSince = failingSince == 0 ? System.currentTimeMillis() : failingSince;
                if (System.currentTimeMillis() - failingSince > READ_RETRY_MS) {
                    throw e;
                }
                Thread.sleep(100);
                continue;
            }
            if (p.isPresent() && p.get().bytes() != lastBytes) {
                HistoryQueries.Progress x = p.get();
                if (lastBytes >= 0 && x.atMs() > lastAt) {
                    rate = (x.bytes() - lastBytes) / ((x.atMs() - lastAt) / 1000.0);
                }
                lastBytes = x.bytes();
                lastAt = x.atMs();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("run", id);
                    m.put("stage", x.stage()); // the stage that moved the bytes, not the one the run has reached since
                    m.put("bytes", x.bytes());
                    m.put("total", x.total());
                    m.put("bytes_per_second", Math.round(rate));
                    if (limit != null) {
                        m.put("rate_limit_bytes_per_second", Long.parseLong(limit));
                    }
                    out.println(Json.write(m));
                } else {
                    out.println(line(x.stage(), x.bytes(), x.total(), rate)
                            + (limit == null ? "" : String.format("  (limit %.1f MB/s)", Long.parseLong(limit) / 1048576.0)));
                }
                out.flush();
            }
            if (!s.outcome().equals("running")) {
                if (json) {
                    out.println(Json.write(Json.summary(s)));
                } else {
                    out.printf("Run %s %s at %s%s%n", id.substring(0, 8), s.outcome(), s.lastStage(),
                            s.exitCode() == null ? "" : " (exit " + s.exitCode() + ")");
                }
                out.flush();
                return s.outcome().equals("completed") ? 0 : 1;
            }
            Thread.sleep(intervalMs);
        }
    }

    static String line(String stage, long bytes, Long total, double rate) {
        StringBuilder o = new StringBuilder(String.format("%-15s ", stage));
        if (total != null && total > 0) {
            double f = Math.min(1.0, (double) bytes / total);
            int filled = (int) Math.round(f * 30);
            o.append('[').append("#".repeat(filled)).append(" ".repeat(30 - filled)).append(']')
                    .append(String.format(" %3.0f%%  %s / %s", f * 100, Leftovers.mb(bytes), Leftovers.mb(total)));
        } else {
            o.append(Leftovers.mb(bytes));
        }
        if (rate > 0) {
            o.append(String.format("  %.1f MB/s", rate / 1048576.0));
            if (total != null && total > bytes) {
                o.append(String.format("  ETA %ds", Math.round((total - bytes) / rate)));
            }
        }
        return o.toString();
    }

    private String findRun(Path dir) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
        while (true) {
            try (HistoryDatabase db = HistoryDatabase.openForReading(dir)) {
                HistoryQueries q = new HistoryQueries(db);
                if (run != null) {
                    return q.resolveRunId(run);
                }
                List<RunSummary> live = q.history(new RunFilter(null, "running", null, 1));
                if (!live.isEmpty()) {
                    return live.get(0).id();
                }
            } catch (HistoryException noHistoryYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw noHistoryYet;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new HistoryException("no SST is running on this node (history " + dir + ")");
            }
            Thread.sleep(200);
        }
    }
}
