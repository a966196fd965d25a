package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.sstorchestrator.harness.GaleraNode;

/**
 * The SST script's lines in a node's error log, as tests and runbooks grep them (issue 19):
 * {@code WSREP_SST: [LEVEL] text (time)}, read from where the log stood before an SST.
 */
final class WsrepLines {

    private static final Pattern TIME = Pattern.compile(" \\(\\d{8} \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\)$");

    private WsrepLines() {
    }

    /** Where the node's error log stands now: its SST lines are read from here. */
    static long mark(GaleraNode node) {
        try {
            return Files.exists(node.errorLog()) ? Files.size(node.errorLog()) : 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code WSREP_SST: [LEVEL] text} lines written since {@code from}, their time removed. */
    static List<String> since(GaleraNode node, long from) throws IOException {
        byte[] all = Files.readAllBytes(node.errorLog());
        String text = new String(all, (int) Math.min(from, all.length), (int) (all.length - Math.min(from, all.length)),
                StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith("WSREP_SST: [")).map(l -> TIME.matcher(l).replaceFirst("")).toList();
    }

    /** One line of {@code lines} starts with {@code WSREP_SST: [level] } and then matches {@code regex}. */
    static void assertHas(List<String> lines, String level, String regex, String what) {
        Pattern p = Pattern.compile("WSREP_SST: \\[" + level + "] " + regex);
        assertTrue(lines.stream().anyMatch(l -> p.matcher(l).lookingAt()), what + ": no line 'WSREP_SST: [" + level + "] "
                + regex + "' in:\n" + String.join("\n", lines));
    }

    /** Each regex of {@code regexes} at INFO. */
    static void assertHasAll(List<String> lines, List<String> regexes, String what) {
        regexes.forEach(r -> assertHas(lines, "INFO", r, what));
    }
}
