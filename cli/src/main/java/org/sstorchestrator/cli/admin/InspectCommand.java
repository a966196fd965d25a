package org.sstorchestrator.cli.admin;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.machine.SstMachines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sst-admin inspect}: one run's whole story. Reads only. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused or failed; the message names the value and the reason", "2:invalid usage"},
        description = "Shows one run: stages with timings, child processes, transfers, the peer, the wire's protection"
                + " (TLS mode, protocol, cipher suite, the peer's certificate per transfer), the error with its meaning,"
                + " the tail of the relevant log and a remedy, and what the run left on disk.")
public final class InspectCommand implements Callable<Integer> {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    HistoryOptions where;

    @Parameters(index = "0", paramLabel = "RUN", description = "a run id, an unambiguous prefix of one, or 'last'"
            + " (with --cluster: of either side, on any node)")
    String run;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Option(names = "--cluster", description = "the run's SST in the cluster's history ([sst] cluster-history), on any"
            + " node: the donor's and the joiner's rows side by side")
    boolean cluster;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (cluster) {
            org.sstorchestrator.cli.cluster.ClusterSst sst = ClusterAccess.of(where).sst(run);
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Json.write(ClusterView.toMap(sst)) + "\n" : ClusterView.text(sst));
            out.flush();
            return 0;
        }
        RunDetail d;
        List<String> tail;
        boolean newest;
        try (HistoryDatabase db = HistoryDatabase.openForReading(where.resolve())) {
            HistoryQueries q = new HistoryQueries(db);
            d = q.detail(q.resolveRunId(run));
            tail = LogFiles.tailOfRelevantLog(db.directory(), d, 10);
            newest = q.newestRun(d.datadir(), d.summary().role()).map(d.summary().id()::equals).orElse(false);
        }
        List<Leftovers.Item> left = Leftovers.of(d, newest);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? Json.write(toMap(d, tail, left)) + "\n" : text(d, tail, left));
        out.flush();
        return 0;
    }

    /** The stream options the run recorded (issue 10): its compressor, rate limit, bytes on the wire, sockopt. */
    static String stream(java.util.Map<String, String> a) {
        List<String> parts = new java.util.ArrayList<>();
        for (String k : List.of("compressor", "decompressor")) {
            if (a.containsKey(k)) {
                parts.add(k + " " + a.get(k));
            }
        }
        if (a.containsKey("rate_limit")) {
            parts.add(String.format("rate limit %.1f MB/s", Long.parseLong(a.get("rate_limit")) / 1048576.0));
        }
        if (a.containsKey("backup_wire_bytes")) {
            parts.add("backup " + a.get("backup_wire_bytes") + " bytes on the wire");
        }
        if (a.containsKey("sockopt")) {
            parts.add("sockopt " + a.get("sockopt"));
        }
        return String.join("; ", parts);
    }

    static String text(RunDetail d, List<String> tail, List<Leftovers.Item> left) {
        StringBuilder o = new StringBuilder();
        var s = d.summary();
        long t0 = s.startedMs();
        o.append(String.format("Run      %s (%s)%n", s.id(), s.role()));
        o.append(String.format("Outcome  %s%s%n", s.outcome(), s.exitCode() == null ? ""
                : " (exit " + s.exitCode() + ", " + ExitCode.of(s.exitCode()).name() + ")"));
        o.append(String.format("Started  %s, %s%n", LOCAL.format(Instant.ofEpochMilli(t0)),
                s.durationMs() == null ? "still running" : String.format("took %.1f s", s.durationMs() / 1000.0)));
        o.append(String.format("Datadir  %s%n", d.datadir()));
        o.append(String.format("Peer     %s%s%n", s.peer() == null ? "-" : s.peer(),
                d.attributes().containsKey("peer_run") ? " (its run " + d.attributes().get("peer_run") + ")" : ""));
        if (d.attributes().containsKey("position")) {
            o.append(String.format("Position %s%n", d.attributes().get("position")));
        }
        if (d.attributes().containsKey("donor_versions_from")) { // the joiner's version guard (issue 22)
            o.append(String.format("Versions donor: server %s, mariadb-backup %s (from %s); this node: mariadb-backup %s%n",
                    d.attributes().getOrDefault("donor_server_version", "unknown"),
                    d.attributes().getOrDefault("donor_backup_version", "unknown"), d.attributes().get("donor_versions_from"),
                    d.attributes().getOrDefault("backup_version", "unknown")));
        }
        if (d.attributes().containsKey("security")) { // histories before issue 8 do not say
            o.append(String.format("Wire     %s%n", d.attributes().get("security")));
        }
        for (String transfer : List.of("magic", "backup")) {
            String tls = d.attributes().get("tls." + transfer);
            if (tls != null) {
                o.append(String.format("TLS      %s: %s%n", transfer, tls));
            }
        }
        if (d.attributes().containsKey("tls.crypto")) { // histories before say nothing of these two
            o.append(String.format("Crypto   %s%n", d.attributes().get("tls.crypto")));
        }
        if (d.attributes().containsKey("compilers")) {
            o.append(String.format("JVM      compilers %s%n", d.attributes().get("compilers")));
        }
        String stream = stream(d.attributes());
        if (!stream.isEmpty()) {
            o.append(String.format("Stream   %s%n", stream));
        }
        o.append(String.format("%nSTAGE            START    DURATION  OUTCOME%n"));
        for (RunDetail.StageTiming st : d.stageTimings()) {
            o.append(String.format("%-16s %7s  %8s  %s%n", st.stage(), String.format("+%.1fs", (st.startMs() - t0) / 1000.0),
                    st.endMs() == null ? "-" : String.format("%.1fs", (st.endMs() - st.startMs()) / 1000.0), st.outcome()));
        }
        if (!d.children().isEmpty()) {
            o.append(String.format("%nCHILD PROCESSES%n"));
            for (RunDetail.Child c : d.children()) {
                o.append(String.format("  %-14s exit %-4s %6s  %s%n", c.stage(), c.exitCode() == null ? "-" : c.exitCode(),
                        String.format("%.1fs", (c.endedMs() - c.startedMs()) / 1000.0), c.argv()));
                if (c.logPath() != null) {
                    o.append(String.format("  %-14s log: %s%n", "", c.logPath()));
                }
            }
        }
        if (!d.transfers().isEmpty()) {
            o.append(String.format("%nTRANSFERS%n"));
            for (RunDetail.Transfer t : d.transfers()) {
                o.append(String.format("  %-14s %12d bytes  %s%s%n", t.stage(), t.bytes(), rate(t),
                        t.cutShort() ? "  (cut short)" : ""));
            }
        }
        d.failure().ifPresent(f -> {
            ExitCode code = ExitCode.of(f.errorCode() == null ? 1 : f.errorCode());
            o.append(String.format("%nERROR in %s: exit %d (%s)%n  %s%n  meaning: %s%n  remedy:  %s%n", f.stage(),
                    code.code(), code.name(), f.message(), code.meaning(), remedy(f.message(), code)));
        });
        if (s.outcome().equals("interrupted")) {
            o.append(String.format("%nINTERRUPTED at %s: the process died without recording an end (kill -9, crash or"
                    + " power loss).%n  remedy:  sst-admin cleanup %s removes what it left; then restart mysqld%s%n",
                    s.lastStage(), s.id().substring(0, 8), resumable(d) ? ", or sst-admin resume " + s.id().substring(0, 8)
                            + " finishes it without a donor" : ""));
        }
        if (!tail.isEmpty()) {
            o.append(String.format("%nLOG TAIL (%s)%n", tail.get(0)));
            tail.subList(1, tail.size()).forEach(l -> o.append("  ").append(l).append('\n'));
        }
        if (!d.actions().isEmpty()) {
            o.append(String.format("%nADMIN ACTIONS%n"));
            d.actions().forEach(a -> o.append(String.format("  %s  %-18s %s%n",
                    LOCAL.format(Instant.ofEpochMilli(a.atMs())), a.action(), a.detail())));
        }
        if (!d.notes().isEmpty()) {
            o.append(String.format("%nNOTES%n"));
            d.notes().forEach(n -> o.append(String.format("  %-14s %-20s %s%n", n.stage(), n.kind(), n.detail())));
        }
        o.append(String.format("%nLEFT ON DISK%n"));
        if (left.isEmpty()) {
            o.append("  nothing\n");
        }
        left.forEach(i -> {
            o.append(String.format("  %-9s %s  (%s)%n", i.kind(), i.path() != null ? i.path() : "pid " + i.pid(), i.note()));
            if (i.refusal() != null) {
                o.append(String.format("  %-9s cleanup keeps it: %s (--force removes it)%n", "", i.refusal()));
            }
        });
        return o.toString();
    }

    /** The remedy of the failure's known cause when its message names one (a child's log, issue 19), else the exit code's. */
    private static String remedy(String message, ExitCode code) {
        return org.sstorchestrator.states.exec.ChildLog.remedyIn(message).orElse(code.remedy());
    }

    /** Whether sst-admin resume could take the run up, as the declared machine says (not whether it is interrupted). */
    static boolean resumable(RunDetail d) {
        List<String> started = d.events().stream().filter(e -> e.kind().equals("started")).map(RunDetail.Event::stage)
                .toList();
        return SstMachines.resumable(d.summary().role(), d.completedStages(), started);
    }

    private static String rate(RunDetail.Transfer t) {
        long ms = Math.max(1, t.endedMs() - t.startedMs());
        return String.format("%.1f MB/s", t.bytes() / 1048576.0 / (ms / 1000.0));
    }

    static Map<String, Object> toMap(RunDetail d, List<String> tail, List<Leftovers.Item> left) {
        Map<String, Object> m = Json.summary(d.summary());
        m.put("datadir", d.datadir());
        m.put("attributes", d.attributes());
        List<Object> stages = new ArrayList<>();
        for (RunDetail.StageTiming st : d.stageTimings()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("stage", st.stage());
            x.put("started", Instant.ofEpochMilli(st.startMs()).toString());
            x.put("duration_ms", st.endMs() == null ? null : st.endMs() - st.startMs());
            x.put("outcome", st.outcome());
            stages.add(x);
        }
        m.put("stages", stages);
        List<Object> children = new ArrayList<>();
        for (RunDetail.Child c : d.children()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("stage", c.stage());
            x.put("argv", c.argv());
            x.put("exit_code", c.exitCode());
            x.put("duration_ms", c.endedMs() - c.startedMs());
            x.put("log", c.logPath());
            children.add(x);
        }
        m.put("children", children);
        List<Object> transfers = new ArrayList<>();
        for (RunDetail.Transfer t : d.transfers()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("stage", t.stage());
            if (t.what() != null) { // histories of 0.1.0 did not say
                x.put("what", t.what());
                x.put("complete", !t.cutShort());
            }
            x.put("bytes", t.bytes());
            x.put("duration_ms", t.endedMs() - t.startedMs());
            transfers.add(x);
        }
        m.put("transfers", transfers);
        m.put("error", d.failure().map(f -> {
            ExitCode code = ExitCode.of(f.errorCode() == null ? 1 : f.errorCode());
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("stage", f.stage());
            x.put("exit_code", code.code());
            x.put("name", code.name());
            x.put("message", f.message());
            x.put("meaning", code.meaning());
            x.put("remedy", remedy(f.message(), code));
            return (Object) x;
        }).orElse(null));
        m.put("resumable", d.summary().outcome().equals("interrupted") && resumable(d));
        Map<String, Object> logTail = new LinkedHashMap<>(); // Map.of's order changes from one JVM to the next
        if (!tail.isEmpty()) {
            logTail.put("log", tail.get(0));
            logTail.put("lines", tail.subList(1, tail.size()));
        }
        m.put("log_tail", tail.isEmpty() ? null : logTail);
        List<Object> l = new ArrayList<>();
        for (Leftovers.Item i : left) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", i.kind());
            x.put("path", i.path());
            x.put("pid", i.pid());
            x.put("note", i.note());
            x.put("kept_because", i.refusal());
            l.add(x);
        }
        m.put("left_on_disk", l);
        if (!d.notes().isEmpty()) { // histories of 0.1.0 have none
            List<Object> notes = new ArrayList<>();
            for (RunDetail.Note n : d.notes()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("stage", n.stage());
                x.put("kind", n.kind());
                x.put("detail", n.detail());
                notes.add(x);
            }
            m.put("notes", notes);
        }
        return m;
    }
}
