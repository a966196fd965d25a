package org.sstorchestrator.cli.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.sstorchestrator.states.layout.SstFiles;

/**
 * What a running SST says about itself, every second, in {@code <datadir>/sst_status.json}
 * (issue 22), for watchdogs that cannot open the history: which run, role and stage; the
 * running stream's bytes, expected total, rate and ETA; the owner (pid and its start time, so a
 * reused pid is not taken for it) and a heartbeat. {@code stream} is true while a stream of the
 * current stage is being copied: only then must bytes grow. {@code progressMs} is the last time
 * the run made progress: entered its stage, or moved a byte. Times are epoch milliseconds.
 */
public record LiveStatus(String run, String role, String stage, long stageStartedMs, long bytes, Long total,
                         long bytesPerSecond, Long etaSeconds, boolean stream, long progressMs, long pid,
                         Long pidStartedMs, long startedMs, long heartbeatMs) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", run);
        m.put("role", role);
        m.put("stage", stage);
        m.put("stage_started_ms", stageStartedMs);
        m.put("bytes", bytes);
        m.put("total", total);
        m.put("bytes_per_second", bytesPerSecond);
        m.put("eta_seconds", etaSeconds);
        m.put("stream", stream);
        m.put("progress_ms", progressMs);
        m.put("pid", pid);
        m.put("pid_started_ms", pidStartedMs);
        m.put("started_ms", startedMs);
        m.put("heartbeat_ms", heartbeatMs);
        return FlatJson.write(m) + "\n";
    }

    /** The status as written; a field missing or of the wrong type is an IllegalArgumentException naming it. */
    public static LiveStatus parse(String json) {
        Map<String, Object> m = FlatJson.parse(json);
        return new LiveStatus(text(m, "run"), text(m, "role"), text(m, "stage"), number(m, "stage_started_ms"),
                number(m, "bytes"), optional(m, "total"), number(m, "bytes_per_second"), optional(m, "eta_seconds"),
                Boolean.TRUE.equals(m.get("stream")), number(m, "progress_ms"), number(m, "pid"),
                optional(m, "pid_started_ms"), number(m, "started_ms"), number(m, "heartbeat_ms"));
    }

    /** The datadir's status, if there is one; an unreadable one is an IOException or IllegalArgumentException. */
    public static Optional<LiveStatus> read(Path datadir) throws IOException {
        Path p = datadir.resolve(SstFiles.STATUS);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(parse(Files.readString(p, StandardCharsets.UTF_8)));
    }

    private static String text(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("no text field '" + key + "'");
        }
        return s;
    }

    private static long number(Map<String, Object> m, String key) {
        Long v = optional(m, key);
        if (v == null) {
            throw new IllegalArgumentException("no number field '" + key + "'");
        }
        return v;
    }

    private static Long optional(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v != null && !(v instanceof Long)) {
            throw new IllegalArgumentException("field '" + key + "' is not a whole number");
        }
        return (Long) v;
    }
}
