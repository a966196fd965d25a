package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sstorchestrator.cli.live.Probe;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.persistence.RunFilter;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.layout.SstFiles;

/**
 * doctor's checks of the node's SST state rather than its setup (issue 22): whether it may seed
 * a cluster (its last joiner run completed), whether an SST left its marker or status behind,
 * and whether the metrics directory takes the file.
 */
final class NodeChecks {

    static final String BOOTSTRAP = "safe to bootstrap from";
    private static final Pattern GRASTATE = Pattern.compile("(?m)^(seqno|safe_to_bootstrap):\\s*(-?[0-9]{1,20})\\s*$");

    private NodeChecks() {
    }

    /**
     * A node whose last joiner run did not complete holds data that is partial (the wipe began)
     * or older than the cluster's (it needed an SST): bootstrapping a cluster from it loses
     * data (mariadb-operator lost 500 GB so, their issue 1108). Running counts as not complete.
     */
    static DoctorCommand.Check bootstrap(Path history, Path datadir) {
        String state = "; grastate.dat: " + grastate(datadir);
        if (!Files.exists(history.resolve("history.mv.db"))) {
            return new DoctorCommand.Check(BOOTSTRAP, true, "no SST history at " + history + state, "");
        }
        RunDetail last;
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            HistoryQueries q = new HistoryQueries(db);
            List<RunSummary> joins = q.history(new RunFilter("joiner", null, null, 1));
            if (joins.isEmpty()) {
                return new DoctorCommand.Check(BOOTSTRAP, true, "no joiner run recorded" + state, "");
            }
            last = q.detail(joins.get(0).id());
        }
        RunSummary s = last.summary();
        String id = s.id().substring(0, 8);
        if (s.outcome().equals("completed")) {
            return new DoctorCommand.Check(BOOTSTRAP, true, "the last joiner run " + id + " completed" + state, "");
        }
        String data = Leftovers.wipeBegan(last) ? "the wipe had begun: the data here is partial"
                : "before the wipe: the old data is whole, but older than the cluster's";
        return new DoctorCommand.Check(BOOTSTRAP, false, "the last joiner run " + id + " is " + s.outcome() + " at "
                + s.lastStage() + (s.exitCode() == null ? "" : " (exit " + s.exitCode() + ")") + ", " + data + state,
                "never bootstrap a cluster from this node: bootstrap from the node with the highest seqno, and let this"
                        + " one join by SST (sst-admin inspect " + id + " says what happened)");
    }

    /** "seqno -1, safe_to_bootstrap 0", or that there is none. */
    private static String grastate(Path datadir) {
        Path f = datadir.resolve(SstFiles.GRASTATE);
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                return "none in " + datadir;
            }
            Matcher m = GRASTATE.matcher(Files.readString(f));
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                out.append(out.length() == 0 ? "" : ", ").append(m.group(1)).append(' ').append(m.group(2));
            }
            return out.length() == 0 ? "unreadable" : out.toString();
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    /** sst_in_progress or a live status whose SST is gone: named, with the cleanup that removes it. */
    static DoctorCommand.Check markers(Path datadir) {
        Probe.Verdict v = Probe.judge(datadir, System.currentTimeMillis(), Duration.ofDays(1), Duration.ofMinutes(1));
        boolean ok = v.kind() == Probe.Kind.NONE || v.kind() == Probe.Kind.ALIVE;
        return new DoctorCommand.Check("no stale SST marker", ok, v.reason(),
                v.kind() == Probe.Kind.STALE ? "run the sst-admin cleanup the line names (it removes sst_in_progress and"
                        + " the status of a run that is gone)" : "see sst-admin status and the SST's error log");
    }

    /** [sst] metrics-dir, when set: a directory this user can write galera_sst.prom into. */
    static Optional<DoctorCommand.Check> metricsDir(Optional<Path> dir) {
        return dir.map(d -> {
            boolean ok = Files.isDirectory(d) && Files.isWritable(d);
            return new DoctorCommand.Check("metrics directory", ok, d + (ok ? " takes " : " cannot take ")
                    + org.sstorchestrator.cli.live.NodeMetrics.FILE + " from " + System.getProperty("user.name"),
                    "create it, writable by the mysql user and readable by node_exporter, or fix [sst] metrics-dir");
        });
    }
}
