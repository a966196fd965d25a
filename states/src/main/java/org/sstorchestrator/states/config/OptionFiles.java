package org.sstorchestrator.states.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;

/**
 * my.cnf as the real {@code my_print_defaults} sees it (includes, !includedir, the
 * defaults options and group suffixes are its business, not ours). Read once per group;
 * within a group the last occurrence wins; option names fold '_' to '-' and drop "loose-".
 */
public final class OptionFiles {

    /** The key under which every server group is read (my_print_defaults --mysqld). */
    public static final String SERVER = "mysqld";
    public static final List<String> GROUPS = List.of(SERVER, "sst", "xtrabackup", "mariabackup", "mysqld_safe");

    private final Map<String, Map<String, String>> groups;

    public OptionFiles(Map<String, Map<String, String>> groups) {
        this.groups = groups;
    }

    public static OptionFiles read(ChildProcesses children, Path myPrintDefaults, List<String> defaultsOptions) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        for (String group : GROUPS) {
            List<String> args = new ArrayList<>(defaultsOptions);
            // "--mysqld" is every group mysqld itself reads ([server], [mariadb], [galera], the
            // version and suffix groups ...), as the stock script asks; the bare "mysqld" would
            // read [mysqld] alone and miss, say, a [galera] encrypt=4.
            args.add(group.equals(SERVER) ? "--mysqld" : group);
            groups.put(group, parse(print(children, myPrintDefaults, args)));
        }
        return new OptionFiles(groups);
    }

    /**
     * The groups a client reads, merged as the client merges them (one my_print_defaults call,
     * the last value of a name wins): [client], [client-server], [client-mariadb] by default.
     * sst-admin connects to its node's server with these; an SST never reads them.
     */
    public static Map<String, String> client(ChildProcesses children, Path myPrintDefaults, List<String> defaultsOptions) {
        List<String> args = new ArrayList<>(defaultsOptions);
        args.addAll(CLIENT_GROUPS);
        return parse(print(children, myPrintDefaults, args));
    }

    private static String print(ChildProcesses children, Path myPrintDefaults, List<String> args) {
        ChildProcesses.Captured out = children.capture(Command.of(myPrintDefaults, args));
        if (out.exitCode() != 0) {
            throw new SstException(ExitCode.EINVAL, "my_print_defaults " + String.join(" ", args)
                    + " failed with exit code " + out.exitCode() + ": " + out.stderr().strip());
        }
        return out.stdout();
    }

    /** What the mariadb client reads besides its own [mysql]/[mariadb-client]: the groups every client shares. */
    public static final List<String> CLIENT_GROUPS = List.of("client", "client-server", "client-mariadb");

    static Map<String, String> parse(String printed) {
        Map<String, String> options = new HashMap<>();
        for (String line : printed.split("\n")) {
            if (!line.startsWith("--")) {
                continue;
            }
            String body = line.substring(2);
            int eq = body.indexOf('=');
            String name = normalize(eq < 0 ? body : body.substring(0, eq));
            options.put(name, eq < 0 ? "" : body.substring(eq + 1));
        }
        return options;
    }

    static String normalize(String name) {
        String n = name.replace('_', '-');
        return n.startsWith("loose-") ? n.substring("loose-".length()) : n;
    }

    /** The value from the first of {@code groups} that sets {@code name}. */
    public Optional<String> get(List<String> groups, String name) {
        String key = normalize(name);
        for (String g : groups) {
            String v = this.groups.getOrDefault(g, Map.of()).get(key);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public Optional<String> sst(String name) {
        return get(List.of("sst"), name);
    }

    /** Every option of {@code group} whose normalised name passes {@code test} (e.g. a plugin's variables). */
    public java.util.Map<String, String> matching(String group, java.util.function.Predicate<String> test) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        this.groups.getOrDefault(group, Map.of()).forEach((k, v) -> {
            if (test.test(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    public Optional<String> mysqld(String name) {
        return get(List.of("mysqld"), name);
    }
}
