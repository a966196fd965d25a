package org.sstorchestrator.cli.admin;

import java.nio.file.Path;
import java.util.Map;
import org.sstorchestrator.cli.cluster.ClusterSst;
import org.sstorchestrator.persistence.ClusterEndpoint;
import org.sstorchestrator.persistence.ClusterRow;
import org.sstorchestrator.persistence.ClusterStoreException;
import org.sstorchestrator.persistence.ClusterStore;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.states.args.Credentials;
import org.sstorchestrator.states.config.ServerOptions;
import org.sstorchestrator.states.text.Secret;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.ClusterHistoryTable;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.SstConfig;

/**
 * How sst-admin reaches the cluster's SST history on this node (issue 21): the table
 * {@code [sst] cluster-history} names, the node's server as its client settings say
 * ([client] socket, else [mysqld] socket; or [client] host and port), and two logins:
 * readers connect as the client settings' user (by default the user sst-admin runs as, whom
 * a Debian server knows through unix_socket), {@code publish} and doctor as the SST user
 * (wsrep_sst_auth), who writes the donor's rows too, so one GRANT serves both.
 */
final class ClusterAccess {

    /** A user and a password that never leaves this record but for the driver. */
    record Login(String user, Secret password) {
    }

    private final OptionFiles cnf;
    private final Map<String, String> client;

    private ClusterAccess(OptionFiles cnf, Map<String, String> client) {
        this.cnf = cnf;
        this.client = client;
    }

    static ClusterAccess of(HistoryOptions where) {
        return of(where.options(), where);
    }

    /** With my.cnf already read ({@code cnf}); the client groups are read here. */
    static ClusterAccess of(OptionFiles cnf, HistoryOptions where) {
        return new ClusterAccess(cnf, where.clientOptions());
    }

    /** The table, or a refusal that says the feature is off and how to turn it on. */
    ClusterHistoryTable table() {
        try {
            return ClusterHistoryTable.from(cnf).orElseThrow(() -> new HistoryException("the cluster history is off:"
                    + " [sst] cluster-history is not set in this node's my.cnf; set it to schema.table, for example"
                    + " sst_orchestrator.history (docs/cluster-history.md)"));
        } catch (SstException e) {
            throw new HistoryException(e.getMessage());
        }
    }

    ClusterEndpoint endpoint() {
        String host = client.get("host");
        boolean remote = host != null && !host.isBlank() && !host.equals("localhost");
        String socket = client.getOrDefault("socket", ServerOptions.from(cnf).socket().orElse(null));
        if (!remote && socket != null && !socket.isBlank()) {
            return ClusterEndpoint.socket(Path.of(socket));
        }
        String port = client.getOrDefault("port", ServerOptions.from(cnf).port().orElse("3306"));
        if (!port.matches("\\d{1,5}")) {
            throw new HistoryException("[client] port '" + port + "' is not a port number");
        }
        return ClusterEndpoint.tcp(remote ? host : "127.0.0.1", Integer.parseInt(port));
    }

    /** The client settings' user and password; the OS user, as the mariadb client, when none is set. */
    Login reader() {
        String user = client.get("user");
        return new Login(user == null || user.isBlank() ? System.getProperty("user.name") : user,
                Secret.of(client.getOrDefault("password", "")));
    }

    /** The SST user of wsrep_sst_auth when my.cnf has one, else the reader. */
    Login writer() {
        Credentials c = sstUser(cnf, Map.of());
        return c.user().isEmpty() ? reader() : new Login(c.user(), c.password());
    }

    /** The SST user as mysqld would pass it: WSREP_SST_OPT_AUTH in {@code env}, else wsrep_sst_auth of my.cnf. */
    static Credentials sstUser(OptionFiles cnf, Map<String, String> env) {
        return Credentials.resolve(env, SstConfig.serverSstAuth(cnf).orElse(null), null);
    }

    /** The newest SSTs of the cluster's history, both sides joined; none when nothing was published yet. */
    java.util.List<ClusterSst> ssts(Long sinceMs, int limit) {
        try (ClusterStore store = open(reader())) {
            java.util.List<ClusterRow> rows = new java.util.ArrayList<>(store.recent(sinceMs, limit));
            rows.addAll(store.sidesOf(ClusterSst.idsToPair(rows)));
            java.util.List<ClusterSst> ssts = ClusterSst.join(rows);
            return ssts.size() > limit ? ssts.subList(0, limit) : ssts;
        } catch (ClusterStoreException e) {
            if (e.reason() == ClusterStoreException.Reason.NO_TABLE) {
                return java.util.List.of();
            }
            throw readFailure(e);
        }
    }

    /** The SST a run of the cluster's history (an id, an unambiguous prefix, or "last") belongs to. */
    ClusterSst sst(String given) {
        if (!given.equals("last") && !given.matches("[0-9a-f-]{1,36}")) {
            throw new HistoryException("'" + given + "' is not a run id (hex digits and '-', or 'last')");
        }
        try (ClusterStore store = open(reader())) {
            java.util.List<ClusterRow> found = given.equals("last") ? store.recent(null, 1) : store.byPrefix(given);
            if (found.isEmpty()) {
                throw new HistoryException("no run '" + given + "' in the cluster history " + table());
            }
            if (found.size() > 1) {
                throw new HistoryException("run id prefix '" + given + "' is ambiguous; give more digits");
            }
            java.util.List<ClusterRow> rows = new java.util.ArrayList<>(found);
            rows.addAll(store.sidesOf(ClusterSst.idsToPair(found)));
            String id = found.get(0).runId();
            return ClusterSst.join(rows).stream()
                    .filter(s -> s.donor() != null && s.donor().runId().equals(id) || s.joiner() != null && s.joiner().runId().equals(id))
                    .findFirst().orElseThrow();
        } catch (ClusterStoreException e) {
            if (e.reason() == ClusterStoreException.Reason.NO_TABLE) {
                throw new HistoryException("no run '" + given + "' in the cluster history " + table()
                        + ": nothing was published to it yet");
            }
            throw readFailure(e);
        }
    }

    private HistoryException readFailure(ClusterStoreException e) {
        return new HistoryException(e.getMessage() + " (" + e.reason().label() + "); sst-admin reads the cluster history as"
                + " [client] user of this node's my.cnf (default: the user it runs as), who needs SELECT on " + table());
    }

    ClusterStore open(Login login) {
        ClusterHistoryTable t = table();
        return ClusterStore.open(endpoint(), login.user(), login.password().reveal(), t.schema(), t.table());
    }
}
