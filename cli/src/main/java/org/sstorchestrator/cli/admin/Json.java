package org.sstorchestrator.cli.admin;

import java.time.Instant;
import java.util.List;
import org.sstorchestrator.persistence.RunSummary;

/** The few JSON shapes sst-admin prints; written by hand to keep the CLI's start-up lean. */
final class Json {

    private Json() {
    }

    static String runs(List<RunSummary> runs) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < runs.size(); i++) {
            RunSummary r = runs.get(i);
            out.append(i == 0 ? "\n  " : ",\n  ").append('{')
                    .append("\"id\": ").append(str(r.id()))
                    .append(", \"role\": ").append(str(r.role()))
                    .append(", \"peer\": ").append(str(r.peer()))
                    .append(", \"started\": ").append(str(Instant.ofEpochMilli(r.startedMs()).toString()))
                    .append(", \"duration_ms\": ").append(r.durationMs())
                    .append(", \"outcome\": ").append(str(r.outcome()))
                    .append(", \"last_stage\": ").append(str(r.lastStage()))
                    .append(", \"bytes\": ").append(r.bytes())
                    .append(", \"exit_code\": ").append(r.exitCode())
                    .append('}');
        }
        return out.append(runs.isEmpty() ? "]" : "\n]").toString();
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
