package org.sstorchestrator.cli.admin;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sstorchestrator.cli.cluster.ClusterPublisher;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.states.config.ClusterHistoryTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sst-admin publish}: sends the runs that wait in this node's history to the cluster's
 * SST history ([sst] cluster-history), through this node's server as the SST user. Meant for
 * wsrep_notify_cmd (when the node is Synced) or a timer: publishing twice writes nothing new.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every waiting run was published, or none waited",
                "1:refused or failed (the cluster history is off, an SST holds the history, a missing grant, a read-only"
                        + " or unready node, no server); the message names the reason and the remedy; the runs keep waiting",
                "2:invalid usage"},
        description = "Publishes this node's runs that wait for the cluster's SST history ([sst] cluster-history): joiner"
                + " runs, which cannot reach their server during the SST, and any a donor could not write. Connects to"
                + " this node's server ([client] socket or port) as the SST user (wsrep_sst_auth). Idempotent.")
public final class PublishCommand implements Callable<Integer> {

    @Mixin
    HistoryOptions where;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClusterAccess access = ClusterAccess.of(where);
        ClusterHistoryTable table = access.table();
        java.nio.file.Path dir = where.resolve();
        // a node no SST has run on has nothing waiting (wsrep_notify_cmd runs us there too)
        ClusterPublisher.Result r = HistoryDatabase.exists(dir) ? publish(access, table, dir)
                : new ClusterPublisher.Result(0, 0, java.util.Optional.empty(), "no SST has run with this history yet");
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", table.toString());
            m.put("published", r.published());
            m.put("waiting", r.waiting());
            m.put("reason", r.failure().map(f -> f.reason().label()).orElse(null));
            m.put("error", r.failure().map(Throwable::getMessage).orElse(null));
            m.put("remedy", r.remedy().isEmpty() ? null : r.remedy());
            out.println(Json.write(m));
        } else if (r.ok()) {
            out.printf("published %d run(s) to %s; %d waiting%s%n", r.published(), table, r.waiting(),
                    r.remedy().isEmpty() ? "" : " (" + r.remedy() + ")");
        } else {
            spec.commandLine().getErr().printf("sst-admin: %s (%s); %d run(s) wait in this node's history%n  remedy: %s%n",
                    r.failure().get().getMessage(), r.failure().get().reason().label(), r.waiting(), r.remedy());
        }
        out.flush();
        return r.ok() ? 0 : 1;
    }

    private static ClusterPublisher.Result publish(ClusterAccess access, ClusterHistoryTable table, java.nio.file.Path dir) {
        try (HistoryDatabase db = HistoryDatabase.openForUpdate(dir)) {
            if (db.isSnapshot()) {
                throw new HistoryException("an SST holds this node's history now: its runs are published when it has"
                        + " ended (a donor's by itself); run sst-admin publish again then");
            }
            ClusterAccess.Login login = access.writer();
            return new ClusterPublisher(db, table, System::currentTimeMillis).publish(access.endpoint(), login.user(),
                    login.password(), null);
        }
    }
}
