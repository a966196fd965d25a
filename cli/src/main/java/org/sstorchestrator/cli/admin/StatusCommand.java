package org.sstorchestrator.cli.admin;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sstorchestrator.cli.live.FlatJson;
import org.sstorchestrator.cli.live.Probe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sst-admin status}: the running SST as its live status says (issue 22), read from the
 * datadir alone, so that a liveness probe can call it every few seconds without touching the
 * history. With {@code --probe} the exit code is the answer. Reads only.
 */
@Command(name = "status", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 64,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:with --probe: an SST is alive and progressing; else: the status was read",
                "1:with --probe: no SST is running",
                "2:with --probe: an SST is stuck (no heartbeat, or no byte while its stream runs, for the given time)"
                        + " or its process is dead (a stale status or sst_in_progress)",
                "3:the status, or the datadir, could not be read", "64:invalid usage"},
        description = "Shows the running SST from <datadir>/sst_status.json: run, role, stage, bytes / total, rate, ETA,"
                + " heartbeat. --probe answers by exit code, for a watchdog or a liveness probe.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    HistoryOptions where;

    @Option(names = "--probe", description = "answer by exit code (0 alive, 1 none, 2 stuck or dead, 3 unreadable),"
            + " with one line")
    boolean probe;

    @Option(names = "--stuck-after", defaultValue = "120", paramLabel = "SECONDS",
            description = "seconds a running stream may move no byte before the SST counts as stuck (default"
                    + " ${DEFAULT-VALUE}; stages without a stream, such as prepare, are judged by their heartbeat)")
    long stuckAfter;

    @Option(names = "--heartbeat-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "seconds without a heartbeat (written every second) before the SST counts as stuck"
                    + " (default ${DEFAULT-VALUE})")
    long heartbeatTimeout;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (stuckAfter < 1 || heartbeatTimeout < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--stuck-after must be at least 1 s and"
                    + " --heartbeat-timeout at least 2 s (the heartbeat comes every second); got " + stuckAfter + " and "
                    + heartbeatTimeout);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path datadir;
        try {
            datadir = where.datadir();
        } catch (RuntimeException e) { // never 1: to a probe that would mean no SST runs
            spec.commandLine().getErr().println("sst-admin: cannot find the datadir: " + e.getMessage()
                    + "; pass --datadir or --defaults-file");
            spec.commandLine().getErr().flush();
            return Probe.UNKNOWN;
        }
        Probe.Verdict v = Probe.judge(datadir, System.currentTimeMillis(), Duration.ofSeconds(stuckAfter),
                Duration.ofSeconds(heartbeatTimeout));
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("verdict", v.kind().name().toLowerCase(java.util.Locale.ROOT));
            m.put("code", v.code());
            m.put("reason", v.reason());
            m.put("datadir", datadir.toString());
            m.put("status", v.status().map(s -> FlatJson.parse(s.toJson())).orElse(null));
            out.println(Json.write(m));
        } else {
            out.println(v.reason());
        }
        out.flush();
        if (probe || v.code() == Probe.UNKNOWN) {
            return v.code();
        }
        return 0;
    }
}
