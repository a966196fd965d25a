package org.sstorchestrator.cli.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sstorchestrator.persistence.RunSummary;

/** The JSON sst-admin prints: maps, lists, strings, numbers, booleans and null; written by hand to keep start-up lean. */
final class Json {

    private Json() {
    }

    static String runs(List<RunSummary> runs) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < runs.size(); i++) {
            out.append(i == 0 ? "\n  " : ",\n  ").append(write(summary(runs.get(i))));
        }
        return out.append(runs.isEmpty() ? "]" : "\n]").toString();
    }

    static Map<String, Object> summary(RunSummary r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("role", r.role());
        m.put("peer", r.peer());
        m.put("started", Instant.ofEpochMilli(r.startedMs()).toString());
        m.put("duration_ms", r.durationMs());
        m.put("outcome", r.outcome());
        m.put("last_stage", r.lastStage());
        m.put("bytes", r.bytes());
        m.put("exit_code", r.exitCode());
        return m;
    }

    /** One line, keys in insertion order. */
    static String write(Object v) {
        StringBuilder out = new StringBuilder();
        write(out, v);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            out.append(str(s));
        } else if (v instanceof Number || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.append(first ? "" : ", ").append(str(e.getKey().toString())).append(": ");
                write(out, e.getValue());
                first = false;
            }
            out.append('}');
        } else if (v instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                out.append(i == 0 ? "" : ", ");
                write(out, l.get(i));
            }
            out.append(']');
        } else {
            out.append(str(v.toString()));
        }
    }

    static String str(String s) {
        return org.sstorchestrator.cli.live.FlatJson.quote(s);
    }
}
