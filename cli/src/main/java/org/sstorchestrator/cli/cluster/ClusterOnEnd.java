package org.sstorchestrator.cli.cluster;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.persistence.ClusterEndpoint;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.config.ClusterHistoryTable;
import org.sstorchestrator.states.run.SstContext;

/**
 * The end of a donor's run, after its last line to mysqld: its row, and any a joiner run of
 * this node left waiting, go to the cluster's SST history over the donor's own server (the
 * socket mysqld passed, else 127.0.0.1 and --local-port) as the SST user. mysqld has had its
 * answer by then (it calls sst_sent on reading "done" and only then waits for our exit), so
 * this costs the SST nothing; whatever goes wrong is logged as a WARNING and recorded, never
 * an exit code. A joiner cannot reach its server during its SST: its row waits.
 */
public final class ClusterOnEnd {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterOnEnd.class);
    /** Runs a donor's end publishes at most (its own and what waits from before). */
    static final int BATCH = 50;

    private ClusterOnEnd() {
    }

    public static void publish(HistoryDatabase db, SstContext ctx, String runId) {
        if (ctx == null || ctx.role != Role.DONOR || ctx.config.clusterHistory().isEmpty()) {
            return;
        }
        ClusterHistoryTable table = ctx.config.clusterHistory().get();
        try {
            Optional<ClusterEndpoint> endpoint = ctx.args.get("socket").filter(s -> !s.isBlank())
                    .map(s -> ClusterEndpoint.socket(Path.of(s)))
                    .or(() -> ctx.args.get("local-port").filter(p -> p.matches("\\d{1,5}"))
                            .map(p -> ClusterEndpoint.tcp("127.0.0.1", Integer.parseInt(p))));
            if (endpoint.isEmpty() || ctx.credentials.user().isEmpty()) {
                LOG.warn("cluster history {}: {}; this node's runs wait in its history for sst-admin publish", table,
                        endpoint.isEmpty() ? "mysqld passed no --socket nor --local-port" : "no SST user to connect as");
                return;
            }
            ClusterPublisher.Result r = new ClusterPublisher(db, table, ctx.clock).publish(endpoint.get(),
                    ctx.credentials.user(), ctx.credentials.password(), runId, BATCH);
            if (r.ok()) {
                LOG.info("cluster history {}: published {} run(s){}", table, r.published(),
                        r.remedy().isEmpty() ? "" : "; " + r.remedy());
            } else {
                LOG.warn("cluster history {}: {} ({}); {} run(s) wait in this node's history; {}", table,
                        r.failure().get().getMessage(), r.failure().get().reason().label(), r.waiting(), r.remedy());
            }
        } catch (RuntimeException e) {
            // the history itself failed us (a full disk): the SST has succeeded or failed on its own account
            LOG.warn("cluster history {}: not published: {}", table, e.getMessage());
        }
    }
}
