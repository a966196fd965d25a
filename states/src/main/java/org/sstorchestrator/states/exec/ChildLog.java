package org.sstorchestrator.states.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a failed child's log says, for the one ERROR line of the run, its record and
 * {@code sst-admin inspect}: its first error lines (bounded), then its last line, and a remedy
 * when the cause is one we know. The last line alone misled (issue 19): a prepare without the
 * joiner's key file ends "Error in my_thread_global_end(): 1 threads didn't exit" or
 * "Warning: 0 files and 3 streams is left open", while "file-key-management-filename is not
 * set" and "Encryption key is not found for ./test/t4.ibd" sit above it.
 *
 * <p>An error line is one with {@code [ERROR]}, {@code FATAL} or {@code Error}, or a
 * program's own unstamped complaint ({@code /usr/bin/mariadb-backup: ...}) that is not a warning.
 * mariadb-backup's and the server's timestamps are dropped from the quoted lines.
 */
public final class ChildLog {

    /** How many error lines are quoted, and how much of each: an ERROR line stays readable. */
    static final int MAX_ERRORS = 3;
    static final int MAX_LINE = 200;
    /** Only the start of a log is searched for errors: a child that logged gigabytes is still summarised in bounded time. */
    private static final long MAX_READ = 4 << 20;

    private static final Pattern ERROR = Pattern.compile("\\[ERROR]|\\bFATAL\\b|(?i:fatal error)|\\bError\\b|\\berror:");
    /**
     * A program's own complaint, unstamped at the start of a line: "/usr/bin/mariadb-backup:
     * file-key-management-filename is not set", "zstd: /*stdin*\\: unexpected end of file"
     * (mariadb-backup's progress lines, "[00] ... mariabackup: Using ...", are stamped).
     */
    private static final Pattern COMPLAINT = Pattern.compile("^(/\\S*/)?[A-Za-z][A-Za-z0-9_.+-]*: (?![Ww]arning|[Nn]ote)");
    /** "[00] 2026-12-07 16:40:38 " (mariadb-backup) and "2026-12-07 16:40:38 0 " (the server's InnoDB). */
    private static final Pattern STAMP = Pattern.compile(
            "^(\\[\\d\\d] )?\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d( \\d+)? ");

    /** A cause we can name, and what the operator does about it. */
    private record Cause(Pattern seen, String remedy) {
    }

    /**
     * The causes whose remedy names a setting. Each decision in one place: the error line,
     * the record and inspect all take the remedy from here.
     */
    private static final List<Cause> CAUSES = List.of(
            new Cause(Pattern.compile("file-key-management-filename is not set|Encryption key is not found"
                    + "|encryption key version \\d+ failed|encryption key management plugin was not found"
                    + "|Plugin 'file_key_management' init function returned error"),
                    "this joiner cannot read the donor's encrypted tablespaces or redo log: give it the donor's keys with"
                    + " file_key_management_filename (in its my.cnf, or --loose-file-key-management-filename on"
                    + " mysqld's command line) and the plugin (plugin_load_add=file_key_management); the key file"
                    + " path in the donor's backup-my.cnf is never used"),
            new Cause(Pattern.compile("Unsupported redo log format|The redo log was created with .* is not supported"),
                    "the donor's server is newer than this node's mariadb-backup: install the same MariaDB version on"
                    + " both nodes"));

    /** The summary: error lines quoted (at most {@link #MAX_ERRORS}), the last line, a remedy if the cause is known. */
    public record Summary(Path log, List<String> errors, String lastLine, Optional<String> remedy) {

        /**
         * {@code errors in <log>: "a"; "b"; its last line: "z"; remedy: ...}, or
         * {@code last line of <log>: z} when the log holds no error line.
         */
        public String describe() {
            StringBuilder s = new StringBuilder();
            if (errors.isEmpty()) {
                s.append("last line of ").append(log).append(": ").append(lastLine);
            } else {
                s.append("errors in ").append(log).append(": ");
                for (int i = 0; i < errors.size(); i++) {
                    s.append(i == 0 ? "" : "; ").append('"').append(errors.get(i)).append('"');
                }
                if (!errors.contains(lastLine)) {
                    s.append("; its last line: \"").append(lastLine).append('"');
                }
            }
            remedy.ifPresent(r -> s.append(REMEDY).append(r));
            return s.toString();
        }
    }

    /** How a failure's message carries the remedy of a known cause: after this, to its end. */
    static final String REMEDY = "; remedy: ";

    /** The remedy a failure's message carries ({@link Summary#describe}), for sst-admin inspect. */
    public static Optional<String> remedyIn(String message) {
        int at = message == null ? -1 : message.indexOf(REMEDY);
        return at < 0 ? Optional.empty() : Optional.of(message.substring(at + REMEDY.length()));
    }

    private ChildLog() {
    }

    /** Reads {@code log} (from {@code from}, the size it had before this child started) and summarises it. */
    public static Summary summarize(Path log, long from) {
        List<String> lines;
        try {
            lines = read(log, from);
        } catch (IOException | UncheckedIOException e) {
            return new Summary(log, List.of(), "(unreadable: " + e.getMessage() + ")", Optional.empty());
        }
        List<String> errors = new ArrayList<>();
        Optional<String> remedy = Optional.empty();
        String last = "(empty)";
        for (String raw : lines) {
            String bare = bare(raw);
            if (bare.isEmpty()) {
                continue;
            }
            String line = shown(bare);
            last = line;
            boolean error = ERROR.matcher(line).find() || COMPLAINT.matcher(bare).find();
            if (errors.size() < MAX_ERRORS && error && !errors.contains(line)) {
                errors.add(line);
            }
            if (remedy.isEmpty()) {
                remedy = CAUSES.stream().filter(c -> c.seen().matcher(line).find()).map(Cause::remedy).findFirst();
            }
        }
        return new Summary(log, List.copyOf(errors), last, remedy);
    }

    public static Summary summarize(Path log) {
        return summarize(log, 0);
    }

    private static List<String> read(Path log, long from) throws IOException {
        try (var ch = Files.newByteChannel(log)) {
            long size = ch.size();
            long start = from <= size ? from : 0; // a log that shrank was rewritten: read it whole
            // the head (errors come first) and the tail (the last line), at most MAX_READ of each
            byte[] head = bytes(ch, start, Math.min(size - start, MAX_READ));
            List<String> out = new ArrayList<>(new String(head, StandardCharsets.UTF_8).lines().toList());
            if (size - start > MAX_READ) {
                long tailFrom = Math.max(start + MAX_READ, size - 64 * 1024);
                List<String> tail = new String(bytes(ch, tailFrom, size - tailFrom), StandardCharsets.UTF_8).lines().toList();
                out.addAll(tail.subList(Math.min(1, tail.size()), tail.size())); // its first line is cut
            }
            return out;
        }
    }

    private static byte[] bytes(java.nio.channels.SeekableByteChannel ch, long at, long n) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) n);
        ch.position(at);
        while (b.hasRemaining() && ch.read(b) >= 0) {
            // fill
        }
        return b.array();
    }

    /** The line without surrounding blanks and control characters (the server's messages start with a BEL). */
    private static String bare(String raw) {
        int from = 0;
        int to = raw.length();
        while (from < to && raw.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && raw.charAt(to - 1) <= ' ') {
            to--;
        }
        return raw.substring(from, to);
    }

    private static String shown(String bare) {
        String s = STAMP.matcher(bare).replaceFirst("").replace('\t', ' ');
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.length() > MAX_LINE ? out.substring(0, MAX_LINE) + "..." : out.toString();
    }
}
