package org.sstorchestrator.states.joiner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code backup-my.cnf} that arrived in the donor's stream, rewritten before prepare.
 *
 * <p>{@code mariadb-backup --prepare} reads that file, and it comes from the other node: with
 * {@code plugin_load=x=evil.so} and {@code plugin_dir=.} beside an {@code evil.so} in the same
 * stream, prepare ran the library's constructor as the mysql user (reproduced; issue 6). An
 * {@code innodb_data_file_path} naming {@code /etc/...} or an absolute undo directory would
 * point prepare's writes outside the datadir. So the file is rebuilt from an allow-list of
 * the keys mariadb-backup 10.11 writes there, each value checked against a strict grammar:
 * <ul>
 *   <li>InnoDB layout and format keys with plain values; the undo directory is always
 *       {@code ./} (the backup carries the undo files at its top level);</li>
 *   <li>{@code plugin_load} only for a key-management plugin (the only kind prepare loads: an
 *       encrypted tablespace cannot be prepared without it) whose library, with no path
 *       separator, exists in the <em>joiner's own</em> plugin directory, which replaces the
 *       stream's {@code plugin_dir};</li>
 *   <li>that plugin's variables take the joiner's own configured value; a value from the
 *       stream is kept only when it is a plain word, never a path.</li>
 * </ul>
 * Everything else, and every other group or {@code !include}, is dropped, and each drop is
 * reported so the run records it.
 */
final class BackupMyCnf {

    static final String NAME = "backup-my.cnf";

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern BOOL = Pattern.compile("(?i)on|off|true|false|0|1");
    private static final Pattern SIZE = Pattern.compile("[0-9]{1,20}[KMGTkmgt]?");
    /** {@code ibdata1:12M:autoextend}, {@code ibdata1:1G;ibdata2:1G:autoextend:max:10G}: names only, no paths. */
    private static final Pattern DATA_FILE_PATH = Pattern.compile(
            "[A-Za-z0-9_.-]{1,64}:[0-9]{1,20}[KMGTkmgt]?(?::autoextend(?::max:[0-9]{1,20}[KMGTkmgt]?)?)?"
                    + "(?:;[A-Za-z0-9_.-]{1,64}:[0-9]{1,20}[KMGTkmgt]?(?::autoextend(?::max:[0-9]{1,20}[KMGTkmgt]?)?)?){0,63}");
    /** A plugin variable's value from the stream: a plain word or number, never a path or a list of them. */
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_.,+-]{0,128}");
    private static final Pattern PLUGIN = Pattern.compile("([A-Za-z0-9_]{1,64})=([A-Za-z0-9_.-]{1,128})");

    private static final Map<String, Pattern> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("innodb_checksum_algorithm", WORD);
        ALLOWED.put("innodb_data_file_path", DATA_FILE_PATH);
        ALLOWED.put("innodb_log_file_size", SIZE);
        ALLOWED.put("innodb_page_size", SIZE);
        ALLOWED.put("innodb_undo_tablespaces", SIZE);
        ALLOWED.put("innodb_compression_level", SIZE);
        ALLOWED.put("innodb_log_checksums", BOOL);
        ALLOWED.put("innodb_encrypt_log", BOOL);
        ALLOWED.put("innodb_encrypt_tables", Pattern.compile("(?i)on|off|force|0|1|2"));
        ALLOWED.put("innodb_redo_log_encrypt", BOOL);
        ALLOWED.put("innodb_undo_log_encrypt", BOOL);
        ALLOWED.put("server_id", SIZE);
    }

    /** The rewritten file and what was dropped or replaced (for the run's record). */
    record Result(String text, List<String> dropped, List<String> replaced) {
    }

    private BackupMyCnf() {
    }

    /**
     * Rebuilds the file from {@code received}. {@code joinerOption} answers the joiner's own
     * configured value of an option (server groups of its my.cnf); {@code pluginDir} is the
     * joiner's plugin directory, if it has one.
     */
    static Result sanitize(String received, Optional<Path> pluginDir, Function<String, Optional<String>> joinerOption) {
        List<String> dropped = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        Map<String, String> keep = new LinkedHashMap<>();
        List<String> plugins = new ArrayList<>();
        List<String[]> pluginVariables = new ArrayList<>();
        String group = null;
        String streamPluginDir = null;
        for (String raw : received.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                group = line;
                continue;
            }
            if (!"[mysqld]".equals(group)) {
                dropped.add(shown(line) + (group == null ? " (outside any group)" : " (in " + shown(group) + ")"));
                continue;
            }
            int eq = line.indexOf('=');
            String name = normalize(eq < 0 ? line : line.substring(0, eq));
            String value = eq < 0 ? "" : unquote(line.substring(eq + 1).strip());
            if (name.equals("plugin_load") || name.equals("plugin_load_add")) {
                for (String item : value.split(";")) {
                    String why = pluginRefusal(item, pluginDir);
                    if (why == null) {
                        plugins.add(item);
                    } else {
                        dropped.add(name + "=" + shown(item) + " (" + why + ")");
                    }
                }
            } else if (name.equals("innodb_undo_directory")) {
                if (!value.equals("./") && !value.equals(".")) {
                    replaced.add("innodb_undo_directory=" + shown(value) + " by ./ (the undo files are at the backup's top level)");
                }
            } else if (ALLOWED.containsKey(name)) {
                if (ALLOWED.get(name).matcher(value).matches()) {
                    keep.put(name, value);
                } else {
                    dropped.add(name + "=" + shown(value) + " (not a plain value)");
                }
            } else if (name.contains("_key_management_")) {
                pluginVariables.add(new String[] {name, value});
            } else if (name.equals("plugin_dir")) {
                streamPluginDir = value;
            } else {
                dropped.add(shown(line));
            }
        }
        if (streamPluginDir != null) {
            (plugins.isEmpty() ? dropped : replaced).add("plugin_dir=" + shown(streamPluginDir)
                    + (plugins.isEmpty() ? "" : " by the joiner's own " + pluginDir.orElseThrow()));
        }
        StringBuilder out = new StringBuilder("# Rewritten by mariabackup_sm from the donor's backup-my.cnf: only the keys\n"
                + "# prepare needs, with checked values (sst-admin inspect lists what was dropped).\n[mysqld]\n");
        keep.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        out.append("innodb_undo_directory=./\n");
        if (!plugins.isEmpty()) {
            out.append("plugin_load=").append(String.join(";", plugins)).append('\n');
            out.append("plugin_dir=").append(pluginDir.orElseThrow()).append('\n');
        }
        for (String[] v : pluginVariables) {
            String name = v[0];
            boolean loaded = plugins.stream().anyMatch(p -> name.startsWith(p.substring(0, p.indexOf('=')) + "_"));
            if (!loaded) {
                dropped.add(name + "=" + shown(v[1]) + " (its plugin is not loaded)");
                continue;
            }
            Optional<String> own = joinerOption.apply(name.replace('_', '-')).filter(BackupMyCnf::writable);
            if (own.isPresent()) {
                out.append(name).append('=').append(own.get()).append('\n');
                if (!own.get().equals(v[1])) {
                    replaced.add(name + " by the joiner's own value");
                }
            } else if (PLAIN_VALUE.matcher(v[1]).matches()) {
                out.append(name).append('=').append(v[1]).append('\n');
            } else {
                dropped.add(name + "=" + shown(v[1]) + " (a path or list from the stream; set it in the joiner's my.cnf)");
            }
        }
        return new Result(out.toString(), List.copyOf(dropped), List.copyOf(replaced));
    }

    /** Null when the plugin may be loaded at prepare, else why not. */
    private static String pluginRefusal(String item, Optional<Path> pluginDir) {
        var m = PLUGIN.matcher(item.strip());
        if (!m.matches()) {
            return "not name=library with a bare library name";
        }
        String library = m.group(2);
        if (!m.group(1).endsWith("_key_management")) {
            return "prepare loads only key-management plugins";
        }
        if (pluginDir.isEmpty()) {
            return "the joiner has no plugin directory";
        }
        // The server reports the library as it was configured: plugin_load_add=file_key_management
        // gives "file_key_management", which the server (and prepare) load as file_key_management.so.
        String file = library.endsWith(".so") ? library : library + ".so";
        if (library.startsWith(".") || !Files.isRegularFile(pluginDir.get().resolve(file))) {
            return "no such library in the joiner's plugin directory " + pluginDir.get();
        }
        return null;
    }

    /** A value we write ourselves must not break the file's syntax. */
    private static boolean writable(String v) {
        return v.indexOf('\n') < 0 && v.indexOf('\r') < 0 && v.indexOf('"') < 0;
    }

    private static String normalize(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        return n.startsWith("loose_") ? n.substring("loose_".length()) : n;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Values from the stream, made safe for a log line and the history. */
    private static String shown(String v) {
        return org.sstorchestrator.states.args.SstAddress.printable(v.length() > 120 ? v.substring(0, 120) + "..." : v);
    }
}
