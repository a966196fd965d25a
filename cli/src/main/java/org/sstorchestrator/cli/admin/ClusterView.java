package org.sstorchestrator.cli.admin;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sstorchestrator.cli.cluster.ClusterSst;
import org.sstorchestrator.persistence.ClusterRow;

/** How {@code history --cluster} and {@code inspect --cluster} show the cluster's SSTs: text and JSON. */
final class ClusterView {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private ClusterView() {
    }

    /** One line per SST, newest first: both sides joined. */
    static String table(List<ClusterSst> ssts) {
        // node names and addresses vary in length: each column is as wide as its widest entry
        int donor = width("DONOR", ssts.stream().map(ClusterSst::donorLabel).toList());
        int joiner = width("JOINER", ssts.stream().map(ClusterSst::joinerLabel).toList());
        int outcome = width("OUTCOME", ssts.stream().map(ClusterSst::outcome).toList());
        String format = "%-19s  %-" + donor + "s  %-" + joiner + "s  %-" + outcome + "s  %8s  %12s  %-5s  %-9s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "STARTED", "DONOR", "JOINER", "OUTCOME", "DURATION",
                "BYTES", "EXIT", "DONOR RUN", "JOINER RUN"));
        for (ClusterSst s : ssts) {
            out.append(String.format(format, LOCAL.format(Instant.ofEpochMilli(s.startedMs())), s.donorLabel(),
                    s.joinerLabel(), s.outcome(), s.durationMs() == null ? "-" : String.format("%.1fs", s.durationMs() / 1000.0),
                    s.bytes(), exit(s.donor()) + "/" + exit(s.joiner()), shortId(s.donor()), shortId(s.joiner())));
        }
        if (ssts.isEmpty()) {
            out.append("(no runs in the cluster history)\n");
        }
        return out.toString();
    }

    private static int width(String title, List<String> values) {
        return Math.max(title.length(), values.stream().mapToInt(String::length).max().orElse(0));
    }

    /** One SST: each side that wrote a row, in full. */
    static String text(ClusterSst s) {
        StringBuilder o = new StringBuilder();
        o.append(String.format("SST      %s → %s, %s%n", s.donorLabel(), s.joinerLabel(), s.outcome()));
        o.append(String.format("Started  %s, %s%n", LOCAL.format(Instant.ofEpochMilli(s.startedMs())),
                s.durationMs() == null ? "not ended" : String.format("took %.1f s", s.durationMs() / 1000.0)));
        side(o, "DONOR", s.donor(), s.donorLabel());
        side(o, "JOINER", s.joiner(), s.joinerLabel());
        return o.toString();
    }

    private static void side(StringBuilder o, String title, ClusterRow r, String label) {
        o.append(String.format("%n%s%n", title));
        if (r == null) {
            o.append(String.format("  %-10s %s: no row in the cluster history%n", "", label));
            return;
        }
        line(o, "run", r.runId());
        line(o, "node", r.nodeName() + " (" + r.nodeAddress() + "), datadir " + r.datadir());
        line(o, "outcome", r.outcome() + (r.exitCode() == null ? "" : " (exit " + r.exitCode() + ", " + r.exitMeaning() + ")"));
        line(o, "started", LOCAL.format(Instant.ofEpochMilli(r.startedMs())) + (r.durationMs() == null ? ""
                : String.format(", took %.1f s", r.durationMs() / 1000.0)));
        line(o, "peer", (r.peer() == null ? "-" : r.peer()) + (r.peerRunId() == null ? "" : " (its run " + r.peerRunId() + ")"));
        line(o, "method", r.method() == null ? "-" : r.method());
        line(o, "versions", "ours " + r.version() + ", server " + dash(r.serverVersion()) + ", mariadb-backup "
                + dash(r.backupVersion()));
        line(o, "wire", dash(r.wire()));
        line(o, "last stage", dash(r.lastStage()));
        line(o, "bytes", Long.toString(r.bytes()));
        List<String> stages = new ArrayList<>();
        stages(r).forEach(st -> stages.add(st.stage() + " " + (st.ms() == null ? "?" : st.ms() + " ms")));
        line(o, "stages", stages.isEmpty() ? "-" : String.join(", ", stages));
        if (r.error() != null) {
            line(o, "error", r.error());
        }
        line(o, "published", LOCAL.format(Instant.ofEpochMilli(r.publishedMs())));
    }

    private static void line(StringBuilder o, String name, String value) {
        o.append(String.format("  %-10s %s%n", name, value));
    }

    static Map<String, Object> toMap(ClusterSst s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started", Instant.ofEpochMilli(s.startedMs()).toString());
        m.put("duration_ms", s.durationMs());
        m.put("outcome", s.outcome());
        m.put("bytes", s.bytes());
        m.put("donor", s.donor() == null ? null : row(s.donor()));
        m.put("joiner", s.joiner() == null ? null : row(s.joiner()));
        return m;
    }

    static String json(List<ClusterSst> ssts) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < ssts.size(); i++) {
            out.append(i == 0 ? "\n  " : ",\n  ").append(Json.write(toMap(ssts.get(i))));
        }
        return out.append(ssts.isEmpty() ? "]" : "\n]").toString();
    }

    private static Map<String, Object> row(ClusterRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", r.runId());
        m.put("role", r.role());
        m.put("node_name", r.nodeName());
        m.put("node_address", r.nodeAddress());
        m.put("datadir", r.datadir());
        m.put("peer", r.peer());
        m.put("peer_run_id", r.peerRunId());
        m.put("method", r.method());
        m.put("version", r.version());
        m.put("server_version", r.serverVersion());
        m.put("backup_version", r.backupVersion());
        m.put("started", Instant.ofEpochMilli(r.startedMs()).toString());
        m.put("ended", r.endedMs() == null ? null : Instant.ofEpochMilli(r.endedMs()).toString());
        m.put("outcome", r.outcome());
        m.put("exit_code", r.exitCode());
        m.put("exit_meaning", r.exitMeaning());
        m.put("last_stage", r.lastStage());
        m.put("bytes", r.bytes());
        List<Object> stages = new ArrayList<>();
        stages(r).forEach(st -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("stage", st.stage());
            x.put("ms", st.ms());
            stages.add(x);
        });
        m.put("stages", stages);
        m.put("wire", r.wire());
        m.put("error", r.error());
        m.put("published", Instant.ofEpochMilli(r.publishedMs()).toString());
        return m;
    }

    /** The row's "stage=ms ..." in order; null for a stage that never finished ("stage=?"). */
    private record StageMs(String stage, Long ms) {
    }

    private static List<StageMs> stages(ClusterRow r) {
        List<StageMs> out = new ArrayList<>();
        if (r.stageMs() != null && !r.stageMs().isBlank()) {
            for (String st : r.stageMs().split(" ")) {
                int eq = st.indexOf('=');
                String ms = eq < 0 ? "?" : st.substring(eq + 1);
                out.add(new StageMs(eq < 0 ? st : st.substring(0, eq), ms.matches("\\d{1,18}") ? Long.valueOf(ms) : null));
            }
        }
        return out;
    }

    private static String exit(ClusterRow r) {
        return r == null || r.exitCode() == null ? "-" : r.exitCode().toString();
    }

    private static String shortId(ClusterRow r) {
        return r == null ? "-" : r.runId().substring(0, 8);
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
