package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.sstorchestrator.persistence.RunDetail;

/** The child logs kept for each run under {@code <history>/logs/<run>/}. */
final class LogFiles {

    private LogFiles() {
    }

    static Path stored(Path historyDir, String runId, RunDetail.Log log) {
        return historyDir.resolve("logs").resolve(runId).resolve(log.stored());
    }

    static String read(Path historyDir, String runId, RunDetail.Log log) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(stored(historyDir, runId, log)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The last lines of the log that explains the failure: the kept log of the failed stage,
     * else the last kept log. First element: where it came from.
     */
    static List<String> tailOfRelevantLog(Path historyDir, RunDetail d, int lines) {
        String failedStage = d.failure().map(RunDetail.Event::stage).orElse(null);
        Optional<RunDetail.Log> log = d.logs().stream().filter(l -> l.stage().equals(failedStage)).reduce((a, b) -> b);
        if (log.isEmpty() && (failedStage != null || d.summary().outcome().equals("interrupted"))) {
            log = d.logs().stream().reduce((a, b) -> b);
        }
        if (log.isEmpty()) {
            return List.of();
        }
        try {
            String[] all = read(historyDir, d.summary().id(), log.get()).split("\n");
            List<String> out = new ArrayList<>();
            out.add(log.get().source());
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
                out.add(all[i]);
            }
            return out;
        } catch (IOException e) {
            return List.of(log.get().source(), "(kept copy unreadable: " + e.getMessage() + ")");
        }
    }
}
