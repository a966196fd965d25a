package org.sstorchestrator.cli.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.sstorchestrator.persistence.RunDetail;

/**
 * The child logs kept for each run under {@code <history>/logs/<run>/}.
 *
 * <p>The record names each kept file, and the record is the SST's user's to write: a name is
 * taken only as one plain file name in the run's own log directory, the directories on the way
 * must be directories (not links), and the file is opened without following a link (issue
 * 18). A kept log is gzip, and gzip can expand a thousandfold: it is read as a stream, the
 * text held in memory bounded.
 */
final class LogFiles {

    /** The most of one log's text held in memory (JSON output); text output streams it whole. */
    static final int MAX_TEXT = 16 << 20;
    /** A line longer than this is cut when only the last lines are kept. */
    private static final int MAX_LINE = 4096;
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final String PLAIN_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,254}";

    private LogFiles() {
    }

    static Path stored(Path historyDir, String runId, RunDetail.Log log) throws IOException {
        if (!runId.matches(UUID) || !log.stored().matches(PLAIN_NAME)) {
            throw new IOException("the record names a kept log outside the run's log directory: " + runId + "/"
                    + log.stored().replaceAll("\\p{Cntrl}", "?"));
        }
        Path logs = historyDir.resolve("logs");
        Path run = logs.resolve(runId);
        for (Path p : List.of(historyDir, logs, run)) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(p + " is not a directory of the history (a link?)");
            }
        }
        return run.resolve(log.stored());
    }

    private static Reader open(Path historyDir, String runId, RunDetail.Log log) throws IOException {
        InputStream raw = Files.newInputStream(stored(historyDir, runId, log), LinkOption.NOFOLLOW_LINKS);
        try {
            return new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** Writes one kept log's text to {@code out}, as a stream. */
    static void copy(Path historyDir, String runId, RunDetail.Log log, Writer out) throws IOException {
        try (Reader in = open(historyDir, runId, log)) {
            in.transferTo(out);
        }
    }

    /** One kept log's text, at most {@link #MAX_TEXT} characters of it (then a note says so). */
    static String read(Path historyDir, String runId, RunDetail.Log log) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buf = new char[8192];
        try (Reader in = open(historyDir, runId, log)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (text.length() + n > MAX_TEXT) {
                    text.append(buf, 0, MAX_TEXT - text.length());
                    text.append("\n(cut at ").append(MAX_TEXT >> 20).append(" MiB: sst-admin logs without --json prints it"
                            + " whole)\n");
                    break;
                }
                text.append(buf, 0, n);
            }
        }
        return text.toString();
    }

    /** The last {@code count} lines of one kept log, read as a stream. */
    static List<String> lastLines(Path historyDir, String runId, RunDetail.Log log, int count) throws IOException {
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader in = new BufferedReader(open(historyDir, runId, log))) {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); ; c = in.read()) {
                if (c < 0 || c == '\n') {
                    if (c >= 0 || line.length() > 0) {
                        last.addLast(line.toString());
                        if (last.size() > count) {
                            last.removeFirst();
                        }
                    }
                    line.setLength(0);
                    if (c < 0) {
                        break;
                    }
                } else if (line.length() < MAX_LINE) {
                    line.append((char) c);
                }
            }
        }
        return new ArrayList<>(last);
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
            List<String> out = new ArrayList<>();
            out.add(log.get().source());
            out.addAll(lastLines(historyDir, d.summary().id(), log.get(), lines));
            return out;
        } catch (IOException e) {
            return List.of(log.get().source(), "(kept copy unreadable: " + e.getMessage() + ")");
        }
    }
}
