package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.persistence.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sst-admin cleanup}: lists, then removes, what runs that did not complete left
 * behind. Never touches a live run or the datadir's real data; records what it did.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused or failed; the message names the value and the reason", "2:invalid usage"},
        description = "Removes what an interrupted or failed run left: .sst, temporary directories, sst_in_progress,"
                + " a stale wsrep_sst.pid, children still running. Never a live run, never the datadir's data.")
public final class CleanupCommand implements Callable<Integer> {

    @Mixin
    HistoryOptions where;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "a run id, a prefix of one, or 'last'")
    String run;

    @Option(names = "--stale", description = "every interrupted run (no end recorded, owner gone)")
    boolean stale;

    @Option(names = "--dry-run", description = "list what would be removed, change nothing")
    boolean dryRun;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if ((run == null) == !stale) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a RUN or --stale (one of them)");
        }
        Path dir = where.resolve();
        List<RunDetail> runs = new ArrayList<>();
        try (HistoryDatabase db = HistoryDatabase.openForReading(dir)) {
            HistoryQueries q = new HistoryQueries(db);
            if (stale) {
                for (RunSummary s : q.history(new org.sstorchestrator.persistence.RunFilter(null, "interrupted", null,
                        Integer.MAX_VALUE))) {
                    runs.add(q.detail(s.id()));
                }
            } else {
                RunDetail d = q.detail(q.resolveRunId(run));
                if (d.summary().outcome().equals("running")) {
                    throw new HistoryException("run " + d.summary().id() + " is running; cleanup never touches a live run");
                }
                if (d.summary().outcome().equals("completed")) {
                    throw new HistoryException("run " + d.summary().id() + " completed; it left nothing to clean up");
                }
                runs.add(d);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Object> report = new ArrayList<>();
        for (RunDetail d : runs) {
            List<Leftovers.Item> items = Leftovers.of(d);
            List<String> done = new ArrayList<>();
            if (!json) {
                out.printf("%s run %s (%s, %s at %s)%n", dryRun ? "Would clean" : "Cleaning", d.summary().id(),
                        d.summary().role(), d.summary().outcome(), d.summary().lastStage());
            }
            for (Leftovers.Item i : items) {
                String what = i.path() != null ? i.path() : "pid " + i.pid();
                if (!dryRun) {
                    remove(i);
                }
                done.add(what);
                if (!json) {
                    out.printf("  %s %-9s %s  (%s)%n", dryRun ? "would remove" : "removed", i.kind(), what, i.note());
                }
            }
            if (items.isEmpty() && !json) {
                out.println("  nothing left on disk");
            }
            if (!dryRun) {
                try (HistoryDatabase db = HistoryDatabase.openForUpdate(dir)) {
                    new H2RunJournal(db, System::currentTimeMillis).adminAction(d.summary().id(), "cleanup",
                            done.isEmpty() ? "nothing to remove" : "removed " + String.join(", ", done));
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", d.summary().id());
            r.put(dryRun ? "would_remove" : "removed", done);
            report.add(r);
        }
        if (json) {
            out.println(Json.write(report));
        } else if (runs.isEmpty()) {
            out.println("No interrupted runs.");
        }
        out.flush();
        return 0;
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
        org.sstorchestrator.states.FileTree.delete(Path.of(i.path()));
    }
}
