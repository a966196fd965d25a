package org.sstorchestrator.cli.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.sstorchestrator.persistence.ClusterEndpoint;
import org.sstorchestrator.persistence.ClusterOutbox;
import org.sstorchestrator.persistence.ClusterRow;
import org.sstorchestrator.persistence.ClusterStore;
import org.sstorchestrator.persistence.ClusterStoreException;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.states.config.ClusterHistoryTable;
import org.sstorchestrator.states.text.Secret;

/**
 * Publishes what waits in a node's outbox to the cluster's SST history: the donor's end does
 * it over its own server's socket with the SST user's credentials, {@code sst-admin publish}
 * through the node's settings. Never throws for the server's sake: a missing grant, a
 * read-only or unready node, a server that is gone end the attempt, which is recorded with
 * its reason, and the rows keep waiting.
 */
public final class ClusterPublisher {

    private final HistoryDatabase db;
    private final ClusterHistoryTable table;
    private final LongSupplier clock;

    public ClusterPublisher(HistoryDatabase db, ClusterHistoryTable table, LongSupplier clock) {
        this.db = db;
        this.table = table;
        this.clock = clock;
    }

    /**
     * What an attempt did: rows published, rows still waiting, and why it stopped if it did
     * ({@code remedy} says what to do, naming the GRANT when one is missing).
     */
    public record Result(int published, int waiting, Optional<ClusterStoreException> failure, String remedy) {

        public boolean ok() {
            return failure.isEmpty();
        }
    }

    /**
     * Publishes every waiting run; {@code byRun} is the SST whose end does it (null for sst-admin),
     * recorded with a failure. Connects only when something waits.
     */
    public Result publish(ClusterEndpoint endpoint, String user, Secret password, String byRun) {
        return publish(endpoint, user, password, byRun, Integer.MAX_VALUE);
    }

    /**
     * As above, the oldest {@code most} waiting runs at most: a donor's end publishes a bounded
     * batch (a node that turns the feature on with a long history sends the rest over its next
     * runs, or all at once with sst-admin publish).
     */
    public Result publish(ClusterEndpoint endpoint, String user, Secret password, String byRun, int most) {
        ClusterOutbox outbox = new ClusterOutbox(db, clock);
        List<RunDetail> waiting = outbox.pending(table.toString(), most);
        if (waiting.isEmpty()) {
            return new Result(0, 0, Optional.empty(), "");
        }
        int published = 0;
        String account = "'" + user + "'@'localhost'";
        try (ClusterStore store = ClusterStore.open(endpoint, user, password.reveal(), table.schema(), table.table())) {
            ClusterStore.Server server = store.server();
            account = server.account();
            store.migrate();
            int elsewhere = 0;
            for (RunDetail d : waiting) {
                if (!sameDir(d.datadir(), server.datadir())) {
                    elsewhere++; // a history shared by two datadirs: each run goes through its own node's server
                    continue;
                }
                ClusterRow row = ClusterRows.of(d, db.directory()).on(server, clock.getAsLong());
                store.publish(row);
                outbox.published(row.runId(), table.toString(), row.outcome());
                published++;
            }
            return new Result(published, elsewhere, Optional.empty(), elsewhere == 0 ? "" : elsewhere
                    + " run(s) of another datadir than " + server.datadir() + " wait for that node's server");
        } catch (ClusterStoreException e) {
            int left = waiting.size() - published;
            String remedy = remedy(table, e.reason(), account);
            outbox.failed(table.toString(), byRun, e.reason().label(), e.getMessage() + "; " + remedy, left);
            return new Result(published, left, Optional.of(e), remedy);
        }
    }

    /** What an operator does about each reason; the rows wait meanwhile. */
    public static String remedy(ClusterHistoryTable table, ClusterStoreException.Reason reason, String account) {
        return switch (reason) {
            case MISSING_GRANT -> table.grant(account) + "; then sst-admin publish";
            case READ_ONLY -> "the node is read-only: sst-admin publish once it takes writes";
            case NOT_READY -> "the node is not Synced: sst-admin publish once it is (wsrep_notify_cmd can run it)";
            case LOGIN -> "fix the user or its password (wsrep_sst_auth, or [client] for sst-admin)";
            case UNREACHABLE -> "start the server, or point [client] socket/port at it; then sst-admin publish";
            case NO_TABLE, OTHER -> "see the message; then sst-admin publish";
        };
    }

    private static boolean sameDir(String a, String b) {
        return a != null && b != null && Path.of(a).toAbsolutePath().normalize().equals(Path.of(b).toAbsolutePath().normalize());
    }
}
