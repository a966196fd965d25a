package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.persistence.RunFilter;
import org.sstorchestrator.persistence.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sst-admin cleanup}: lists, then removes, what runs that did not complete left
 * behind. Never touches a live run or the datadir's real data; keeps {@code .sst} when it may
 * be the only copy of the data or resume could still use it (unless {@code --force}); deletes
 * only what the history's owner owns; records what it did.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused or failed; the message names the value and the reason", "2:invalid usage"},
        description = "Removes what an interrupted or failed run left: .sst, temporary directories, sst_in_progress"
                + " and the live status, a stale wsrep_sst.pid, children still running; then rewrites the metrics file"
                + " the runs wrote ([sst] metrics-dir). Never a live run, never the datadir's data;"
                + " .sst is kept when it may be the only copy of the data or resume could use it.")
public final class CleanupCommand implements Callable<Integer> {

    @Mixin
    HistoryOptions where;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "a run id, a prefix of one, or 'last'")
    String run;

    @Option(names = "--stale", description = "every run that did not complete (interrupted, or failed) and left something")
    boolean stale;

    @Option(names = "--dry-run", description = "list what would be removed, change nothing")
    boolean dryRun;

    @Option(names = "--force", description = "also remove a .sst that may be the only copy of the data or that resume could use")
    boolean force;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private record Target(RunDetail detail, List<Leftovers.Item> items) {
    }

    @Override
    public Integer call() throws IOException {
        if ((run == null) == !stale) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a RUN or --stale (one of them)");
        }
        Path dir = where.resolve();
        List<Target> targets = new ArrayList<>();
        try (HistoryDatabase db = HistoryDatabase.openForReading(dir)) {
            HistoryQueries q = new HistoryQueries(db);
            if (stale) {
                for (String outcome : List.of("interrupted", "failed")) {
                    for (RunSummary s : q.history(new RunFilter(null, outcome, null, Integer.MAX_VALUE))) {
                        Target t = target(q, q.detail(s.id()));
                        if (outcome.equals("interrupted") || !t.items().isEmpty()) {
                            targets.add(t);
                        }
                    }
                }
            } else {
                RunDetail d = q.detail(q.resolveRunId(run));
                if (d.summary().outcome().equals("running")) {
                    throw new HistoryException("run " + d.summary().id() + " is running; cleanup never touches a live run");
                }
                if (d.summary().outcome().equals("completed")) {
                    throw new HistoryException("run " + d.summary().id() + " completed; it left nothing to clean up");
                }
                targets.add(target(q, d));
            }
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        PrintWriter out = spec.commandLine().getOut();
        List<Object> report = new ArrayList<>();
        for (Target t : targets) {
            RunDetail d = t.detail();
            List<String> done = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            if (!json) {
                out.printf("%s run %s (%s, %s at %s)%n", dryRun ? "Would clean" : "Cleaning", d.summary().id(),
                        d.summary().role(), d.summary().outcome(), d.summary().lastStage());
            }
            for (Leftovers.Item i : t.items()) {
                String what = i.path() != null ? i.path() : "pid " + i.pid();
                String refusal = i.removable(force) ? notOwnedBy(i, owner) : i.refusal();
                if (refusal != null) {
                    kept.add(what + ": " + refusal);
                    if (!json) {
                        out.printf("  %s %-9s %s  (%s)%n    because %s%s%n", "keeps       ", i.kind(), what, i.note(), refusal,
                                i.refusal() != null && !force ? "; --force removes it" : "");
                    }
                    continue;
                }
                if (!dryRun) {
                    remove(i);
                }
                done.add(what);
                if (!json) {
                    out.printf("  %s %-9s %s  (%s)%n", dryRun ? "would remove" : "removed", i.kind(), what, i.note());
                }
            }
            if (t.items().isEmpty() && !json) {
                out.println("  nothing left on disk");
            }
            if (!dryRun) {
                try (HistoryDatabase db = HistoryDatabase.openForUpdate(dir)) {
                    db.adminAction(d.summary().id(), "cleanup",
                            (done.isEmpty() ? "nothing removed" : "removed " + String.join(", ", done))
                                    + (kept.isEmpty() ? "" : "; kept " + String.join("; ", kept)));
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", d.summary().id());
            r.put(dryRun ? "would_remove" : "removed", done);
            r.put("kept", kept);
            report.add(r);
        }
        if (!dryRun) {
            rewriteMetrics(dir, targets, out);
        }
        if (json) {
            out.println(Json.write(report));
        } else if (targets.isEmpty()) {
            out.println("No interrupted or failed runs left anything.");
        }
        out.flush();
        return 0;
    }

    /**
     * A run killed outright left the metrics file saying it is in progress; the file is rebuilt
     * from the history, where the run now reads as interrupted (issue 22). Where the runs wrote it
     * is what they recorded ([sst] metrics-dir then).
     */
    private void rewriteMetrics(Path dir, List<Target> targets, PrintWriter out) {
        java.util.Set<String> dirs = new java.util.TreeSet<>();
        targets.forEach(t -> java.util.Optional.ofNullable(t.detail().attributes().get("metrics_dir")).ifPresent(dirs::add));
        for (String m : dirs) {
            try (HistoryDatabase db = HistoryDatabase.openForReading(dir)) {
                org.sstorchestrator.cli.live.NodeMetrics.write(new HistoryQueries(db), Path.of(m));
                if (!json) {
                    out.printf("Rewrote %s%n", Path.of(m).resolve(org.sstorchestrator.cli.live.NodeMetrics.FILE));
                }
            } catch (IOException | RuntimeException e) {
                spec.commandLine().getErr().printf("sst-admin: could not rewrite the metrics in %s: %s%n", m, e.getMessage());
            }
        }
    }

    private static Target target(HistoryQueries q, RunDetail d) {
        boolean newest = q.newestRun(d.datadir(), d.summary().role()).map(d.summary().id()::equals).orElse(false);
        return new Target(d, Leftovers.of(d, newest));
    }

    /**
     * sst-admin often runs as root, and the history it acts on is writable by the SST's user:
     * it deletes only what the history's owner owns, so a forged history cannot make it delete
     * what that user could not.
     */
    private static String notOwnedBy(Leftovers.Item i, UserPrincipal owner) throws IOException {
        if (i.path() == null) {
            String user = ProcessHandle.of(i.pid()).flatMap(h -> h.info().user()).orElse("?");
            return user.equals(owner.getName()) ? null : "runs as " + user + ", not as " + owner.getName()
                    + " who owns the history";
        }
        UserPrincipal actual = Files.getOwner(Path.of(i.path()), LinkOption.NOFOLLOW_LINKS);
        return actual.equals(owner) ? null : "owned by " + actual.getName() + ", not by " + owner.getName()
                + " who owns the history";
    }

    /** SIGKILL to the child and its own children, then waits (bounded) until it is gone. */
    private static void kill(ProcessHandle p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new HistoryException("pid " + h.pid() + " did not end after SIGKILL within 10 s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HistoryException("interrupted while waiting for pid " + h.pid() + " to end");
            }
        }
    }

    private static void remove(Leftovers.Item i) throws IOException {
        if (i.pid() != null) {
            ProcessHandle.of(i.pid()).ifPresent(CleanupCommand::kill);
            return;
        }
        org.sstorchestrator.states.layout.FileTree.delete(Path.of(i.path()));
    }
}
