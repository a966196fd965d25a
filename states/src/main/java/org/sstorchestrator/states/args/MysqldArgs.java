package org.sstorchestrator.states.args;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * mysqld's own command line, as passed after {@code --mysqld-args}, filtered the way the
 * shipped common script filters it (10.11.19), because mariadb-backup applies these words
 * <em>last</em>, as server options: a forwarded {@code --datadir} or {@code -h} would override
 * prepare's {@code --datadir=.sst}.
 * <ul>
 *   <li>the directory, buffer-pool and binlog options are picked out (the last one wins) and
 *       not forwarded: they come back as explicit options of each mariadb-backup call;</li>
 *   <li>{@code --defaults-*}, {@code --user}, {@code --port}, {@code --socket}, and the short
 *       {@code -h} (the datadir), {@code -u}, {@code -P} with their values are dropped;</li>
 *   <li>everything else is forwarded as mysqld had it (its own spelling); after a bare
 *       {@code --} every word is forwarded unchanged;</li>
 *   <li>beyond the stock script: an option that carries a secret ({@code --wsrep-sst-auth}
 *       given on mysqld's command line, a key-management token ...) is never forwarded, so it
 *       reaches no child's argv (promise P7); {@link #masked} hides it in the run's record.</li>
 *   <li>the key-management plugin's options ({@code --file-key-management-filename}, its
 *       filekey ...) are noted too ({@link #keyManagement}): prepare reads them from the
 *       rewritten backup-my.cnf, the joiner's own configuration and never the stream's
 *       (issue 19).</li>
 * </ul>
 */
final class MysqldArgs {

    /** Picked out and not forwarded: each mariadb-backup call gets them explicitly. */
    private static final Set<String> PICKED = Set.of("datadir", "innodb-data-home-dir", "innodb-log-group-home-dir",
            "innodb-undo-directory", "aria-log-dir-path", "innodb-buffer-pool-filename", "innodb-buffer-pool-size",
            "innodb-force-recovery", "log-bin", "log-bin-index", "log-basename");
    /** Also taken note of, and forwarded (the joiner's prepare needs the plugin directory, as mysqld has it). */
    private static final Set<String> NOTED = Set.of("plugin-dir");
    /** Never forwarded: they name another config, or belong to the server process. */
    private static final Set<String> DROPPED = Set.of("defaults-file", "defaults-extra-file", "defaults-group-suffix",
            "user", "port", "socket");
    /** Short options that take no value. */
    private static final String SHORT_FLAGS = "?asv";

    private final Map<String, String> picked;
    private final List<String> passThrough;
    private final Map<String, String> keyManagement;

    private MysqldArgs(Map<String, String> picked, List<String> passThrough, Map<String, String> keyManagement) {
        this.picked = picked;
        this.passThrough = passThrough;
        this.keyManagement = keyManagement;
    }

    static MysqldArgs parse(List<String> args) {
        Map<String, String> picked = new HashMap<>();
        List<String> pass = new ArrayList<>();
        Map<String, String> keyManagement = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                if (i + 1 < args.size()) {
                    pass.add(arg);
                    pass.addAll(args.subList(i + 1, args.size()));
                }
                break;
            }
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = name(arg.substring(2, eq < 0 ? arg.length() : eq));
                String value = eq < 0 ? "" : arg.substring(eq + 1);
                boolean keyOption = name.contains("key-management-");
                if (isSecret(name)) {
                    if (eq < 0 && i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
                        value = args.get(++i); // mysqld takes the next word as its value: it is the secret
                    }
                    if (keyOption) {
                        keyManagement.put(name, value);
                    }
                    continue;
                }
                if (keyOption) {
                    keyManagement.put(name, value);
                }
                if (PICKED.contains(name)) {
                    // a later --innodb-force-recovery=0 does not undo an earlier non-zero one (as stock)
                    if (!(name.equals("innodb-force-recovery") && (value.isEmpty() || value.equals("0")))) {
                        picked.put(name, value);
                    }
                    continue;
                }
                if (NOTED.contains(name)) {
                    picked.put(name, value);
                }
                if (!DROPPED.contains(name)) {
                    pass.add(arg);
                }
                continue;
            }
            if (arg.length() > 1 && arg.startsWith("-")) {
                i = shortOptions(args, i, picked, pass);
                continue;
            }
            pass.add(arg); // a lone '-' or a stray word
        }
        return new MysqldArgs(picked, List.copyOf(pass), Map.copyOf(keyManagement));
    }

    /** A bundle of short options ({@code -uroot}, {@code -vS/sock}); returns the last index it consumed. */
    private static int shortOptions(List<String> args, int i, Map<String, String> picked, List<String> pass) {
        String bundle = args.get(i).substring(1);
        for (int k = 0; k < bundle.length(); k++) {
            char c = bundle.charAt(k);
            if (SHORT_FLAGS.indexOf(c) >= 0) {
                pass.add("-" + c);
                continue;
            }
            String value = bundle.substring(k + 1);
            if (value.isEmpty() && i + 1 < args.size()) {
                String next = args.get(i + 1);
                if (next.equals("--") && i + 2 < args.size()) {
                    value = args.get(i + 2);
                    i += 2;
                } else if (!next.startsWith("-")) {
                    value = next;
                    i++;
                }
            }
            switch (c) {
                case 'h' -> picked.putIfAbsent("datadir-short", value);
                case 'u', 'P' -> { }
                default -> {
                    pass.add("-" + c);
                    pass.add(value);
                }
            }
            return i;
        }
        return i;
    }

    /** The option's name for recognition: '_' is '-', and a "loose-" prefix does not count. */
    static String name(String raw) {
        String n = raw.replace('_', '-').toLowerCase(Locale.ROOT);
        return n.startsWith("loose-") ? n.substring("loose-".length()) : n;
    }

    /** Options whose value is a secret: never forwarded to a child, never recorded as given. */
    static boolean isSecret(String name) {
        String n = name(name);
        return n.equals("wsrep-sst-auth") || n.contains("password") || n.contains("passwd") || n.contains("secret")
                || n.endsWith("filekey") || n.endsWith("-token");
    }

    /**
     * {@code argv} with the value of every secret option replaced by {@code ****}, both the
     * {@code --name=value} and the {@code --name value} forms, for the run's record.
     */
    static List<String> masked(List<String> argv) {
        List<String> out = new ArrayList<>();
        boolean maskNext = false;
        for (String a : argv) {
            if (maskNext && !a.startsWith("-")) {
                out.add("****");
                maskNext = false;
                continue;
            }
            maskNext = false;
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = a.substring(2, eq < 0 ? a.length() : eq);
                if (isSecret(name) || name.equals("auth")) {
                    out.add(eq < 0 ? a : a.substring(0, eq + 1) + "****");
                    maskNext = eq < 0;
                    continue;
                }
            }
            out.add(a);
        }
        return out;
    }

    /** A picked option's value, if mysqld had it and it is not empty. */
    Optional<String> get(String name) {
        if (name.equals("datadir")) {
            return Optional.ofNullable(picked.get("datadir")).filter(v -> !v.isEmpty())
                    .or(() -> Optional.ofNullable(picked.get("datadir-short")).filter(v -> !v.isEmpty()));
        }
        return Optional.ofNullable(picked.get(name)).filter(v -> !v.isEmpty());
    }

    /** Whether mysqld had the picked option at all, with a value or bare. */
    boolean has(String name) {
        return picked.containsKey(name);
    }

    List<String> passThrough() {
        return passThrough;
    }

    /**
     * The key-management plugin's options mysqld was started with, by name with '-' and
     * without "loose-" ({@code file-key-management-filename}), the last one of each; secret
     * ones included: they go only into the owner-only backup-my.cnf, never into argv.
     */
    Map<String, String> keyManagement() {
        return keyManagement;
    }
}
