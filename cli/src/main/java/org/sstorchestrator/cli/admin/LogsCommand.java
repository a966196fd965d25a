package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sst-admin logs}: the child logs of one run, as kept when the run wrote them. Reads only. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused or failed; the message names the value and the reason", "2:invalid usage"},
        description = "Prints the mariadb-backup/mbstream logs of one run, kept per run so a later SST never overwrites them.")
public final class LogsCommand implements Callable<Integer> {

    @Mixin
    HistoryOptions where;

    @Parameters(index = "0", paramLabel = "RUN", description = "a run id, an unambiguous prefix of one, or 'last'")
    String run;

    @Option(names = "--stage", description = "only the logs of this stage (e.g. prepare, stream_backup)")
    String stage;

    @Option(names = "--json", description = "print JSON: one object per log with its text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (HistoryDatabase db = HistoryDatabase.openForReading(where.resolve())) {
            HistoryQueries q = new HistoryQueries(db);
            RunDetail d = q.detail(q.resolveRunId(run));
            List<RunDetail.Log> logs = d.logs().stream().filter(l -> stage == null || l.stage().equals(stage)).toList();
            if (logs.isEmpty()) {
                throw new HistoryException("run " + d.summary().id() + " kept no logs"
                        + (stage == null ? "" : " for stage '" + stage + "'"));
            }
            List<Object> all = new java.util.ArrayList<>();
            for (RunDetail.Log l : logs) {
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("log", l.source());
                    m.put("stage", l.stage());
                    m.put("bytes", l.bytes());
                    m.put("text", LogFiles.read(db.directory(), d.summary().id(), l));
                    all.add(m);
                } else {
                    out.printf("==> %s (stage %s, %d bytes) <==%n", l.source(), l.stage(), l.bytes());
                    LogFiles.copy(db.directory(), d.summary().id(), l, out);
                }
            }
            if (json) {
                out.println(Json.write(all));
            }
        }
        out.flush();
        return 0;
    }
}
