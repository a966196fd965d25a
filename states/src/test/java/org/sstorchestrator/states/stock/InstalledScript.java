package org.sstorchestrator.states.stock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log lines of the installed stock script, read from its text: every call of
 * {@code wsrep_log_info}, {@code wsrep_log_warning} and {@code wsrep_log_error} in
 * {@code wsrep_sst_common} and {@code wsrep_sst_mariabackup}, its arguments joined as the
 * script's {@code $*} joins them (quotes removed, line continuations followed, shell
 * expansions such as {@code $REMOTEIP} or {@code $(safe X)} kept as written), each distinct
 * line once, in the order the scripts hold them, as {@code LEVEL<TAB>text}.
 */
final class InstalledScript {

    static final Path COMMON = Path.of("/usr/bin/wsrep_sst_common");
    static final Path MARIABACKUP = Path.of("/usr/bin/wsrep_sst_mariabackup");

    private static final Pattern CALL = Pattern.compile("^\\s*wsrep_log_(info|warning|error)\\b(?!\\s*\\(\\))(.*)$");

    private InstalledScript() {
    }

    static boolean installed() {
        return Files.isRegularFile(COMMON) && Files.isRegularFile(MARIABACKUP);
    }

    /** The distinct lines of both scripts, common first (it is sourced first). */
    static List<String> lines() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (Path script : List.of(COMMON, MARIABACKUP)) {
            out.addAll(lines(Files.readAllLines(script)));
        }
        return List.copyOf(out);
    }

    static List<String> lines(List<String> script) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            Matcher m = CALL.matcher(script.get(i));
            if (!m.matches()) {
                continue;
            }
            StringBuilder cmd = new StringBuilder(m.group(2));
            while (cmd.toString().stripTrailing().endsWith("\\") && i + 1 < script.size()) {
                String t = cmd.toString().stripTrailing();
                cmd.setLength(0);
                cmd.append(t, 0, t.length() - 1).append(' ').append(script.get(++i).strip());
            }
            out.add(m.group(1).toUpperCase(java.util.Locale.ROOT) + "\t" + String.join(" ", words(cmd.toString().strip())));
        }
        return out;
    }

    /** The shell words of {@code cmd}: quotes removed, {@code \"} inside double quotes unescaped, expansions kept. */
    static List<String> words(String cmd) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        int i = 0;
        while (i < cmd.length()) {
            char c = cmd.charAt(i);
            if (c == ' ' || c == '\t') {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
                i++;
                continue;
            }
            if (cur == null) {
                cur = new StringBuilder();
            }
            if (c == '"') {
                i++;
                while (i < cmd.length() && cmd.charAt(i) != '"') {
                    char d = cmd.charAt(i);
                    if (d == '\\' && i + 1 < cmd.length() && "\"\\$`".indexOf(cmd.charAt(i + 1)) >= 0) {
                        cur.append(cmd.charAt(i + 1));
                        i += 2;
                    } else if (d == '$' && i + 1 < cmd.length() && cmd.charAt(i + 1) == '(') {
                        int end = closing(cmd, i + 1);
                        cur.append(cmd, i, end + 1);
                        i = end + 1;
                    } else {
                        cur.append(d);
                        i++;
                    }
                }
                i++;
            } else if (c == '\'') {
                int end = cmd.indexOf('\'', i + 1);
                cur.append(cmd, i + 1, end);
                i = end + 1;
            } else {
                cur.append(c);
                i++;
            }
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }

    /** The index of the parenthesis that closes the one at {@code open}. */
    private static int closing(String s, int open) {
        int depth = 0;
        for (int j = open; j < s.length(); j++) {
            if (s.charAt(j) == '(') {
                depth++;
            } else if (s.charAt(j) == ')' && --depth == 0) {
                return j;
            }
        }
        return s.length() - 1;
    }
}
