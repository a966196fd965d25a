package org.sstorchestrator.states.args;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.stock.StockLine;

/**
 * The command line mysqld passes to {@code wsrep_sst_<method>} (docs/wire-protocol.md#the-arguments).
 * Options come as {@code --name value} or {@code --name=value}; unknown options are ignored,
 * like the common script does; {@code --mysqld-args} swallows the rest of the line.
 */
public final class SstArguments {

    /** Options that take a value. Anything else starting with "--" is a flag or unknown. */
    private static final Set<String> VALUED = Set.of(
            "role", "address", "datadir", "defaults-file", "defaults-extra-file", "defaults-group-suffix",
            "parent", "progress", "binlog", "binlog-index", "local-port", "socket", "gtid", "gtid-domain-id",
            "host", "port", "user", "password", "auth", "log-bin", "log-bin-index", "log-basename",
            "innodb-data-home-dir", "innodb-log-group-home-dir", "innodb-undo-directory", "aria-log-dir-path");
    private static final Set<String> FLAGS = Set.of("bypass", "debug");

    private final Map<String, String> values;
    private final Set<String> flags;
    private final List<String> mysqldArgs;
    private final MysqldArgs fromMysqld;

    private SstArguments(Map<String, String> values, Set<String> flags, List<String> mysqldArgs) {
        this.values = values;
        this.flags = flags;
        this.mysqldArgs = List.copyOf(mysqldArgs);
        this.fromMysqld = MysqldArgs.parse(mysqldArgs);
    }

    public static SstArguments parse(String... argv) {
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        List<String> mysqld = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("--mysqld-args")) {
                mysqld.addAll(List.of(argv).subList(i + 1, argv.length));
                break;
            }
            if (!arg.startsWith("--")) {
                continue; // a stray word: the common script ignores it too
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) {
                        throw new SstException(ExitCode.EINVAL, "--" + name + " needs a value");
                    }
                    value = argv[++i];
                }
                values.put(name, value);
            } else if (FLAGS.contains(name)) {
                flags.add(name);
            }
            // Unknown options are ignored (docs/wire-protocol.md#the-arguments); if one carried a separate value,
            // that word is skipped above because it does not start with "--".
        }
        return new SstArguments(values, flags, mysqld);
    }

    public Role role() {
        String value = require("role");
        if ("joiner".equals(value)) {
            return Role.JOINER;
        }
        if ("donor".equals(value)) {
            return Role.DONOR;
        }
        throw StockLine.UNRECOGNIZED_ROLE.failure(ExitCode.EINVAL, " (--role is neither 'joiner' nor 'donor')", value);
    }

    private SstAddress address;

    /** {@code --address}, checked against its grammar once (on the donor it comes from the joiner). */
    public SstAddress address() {
        if (address == null) {
            address = SstAddress.parse(role() == Role.DONOR ? "--address (from the joiner)" : "--address", require("address"));
        }
        return address;
    }

    public String require(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw new SstException(ExitCode.EINVAL, "--" + name + " is missing; mysqld always passes it");
        }
        return v;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name)).filter(v -> !v.isEmpty());
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** The datadir: --datadir, else the one in --mysqld-args. */
    public Path datadir() {
        String d = get("datadir").or(() -> fromMysqld.get("datadir")).orElseThrow(() ->
                new SstException(ExitCode.EINVAL, "--datadir is missing; mysqld always passes it"));
        return Path.of(d).toAbsolutePath().normalize();
    }

    /** A directory option from our arguments, else from mysqld's own (e.g. innodb-data-home-dir). */
    public Optional<String> serverOption(String name) {
        return get(name).or(() -> fromMysqld.get(name));
    }

    /** A value mysqld had on its own command line ({@code --mysqld-args}), one the common script picks out. */
    public Optional<String> mysqldOption(String name) {
        return fromMysqld.get(name);
    }

    /** Whether mysqld's own command line had the option at all, bare ({@code --log-bin}) or with a value. */
    public boolean mysqldHas(String name) {
        return fromMysqld.has(name);
    }

    public int intOption(String name, int dflt) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new SstException(ExitCode.EINVAL, "--" + name + " '" + SstAddress.printable(v.get()) + "' is not a number");
        }
    }

    public OptionalLong parent() {
        return get("parent").map(p -> {
            try {
                return OptionalLong.of(Long.parseLong(p));
            } catch (NumberFormatException e) {
                throw new SstException(ExitCode.EINVAL, "--parent '" + SstAddress.printable(p) + "' is not a pid");
            }
        }).orElse(OptionalLong.empty());
    }

    /** The options given to mariadb-backup as {@code --mysqld-args}, after the common script's filtering. */
    public List<String> mysqldArgsForBackup() {
        return fromMysqld.passThrough();
    }

    /**
     * The key-management plugin's options on mysqld's own command line (the joiner's own
     * configuration, as much as its my.cnf is), by name ({@code file-key-management-filename}).
     */
    public Map<String, String> mysqldKeyManagement() {
        return fromMysqld.keyManagement();
    }

    public List<String> rawMysqldArgs() {
        return mysqldArgs;
    }

    /** {@code argv} with every secret option's value masked (mysqld copies its whole argv here), for the record. */
    public static List<String> masked(String... argv) {
        return MysqldArgs.masked(List.of(argv));
    }

    public Optional<String> innodbForceRecovery() {
        return fromMysqld.get("innodb-force-recovery");
    }

    /** Just the defaults options, in the form my_print_defaults and mariadb-backup take them. */
    public List<String> defaultsOptions() {
        List<String> out = new ArrayList<>();
        get("defaults-file").ifPresent(f -> out.add("--defaults-file=" + f));
        get("defaults-extra-file").ifPresent(f -> out.add("--defaults-extra-file=" + f));
        get("defaults-group-suffix").ifPresent(s -> out.add("--defaults-group-suffix=" + s));
        return out;
    }

    /** A tiny OptionalLong that can be mapped (java.util.OptionalLong cannot). */
    public record OptionalLong(Long value) {
        static OptionalLong of(long v) {
            return new OptionalLong(v);
        }

        static OptionalLong empty() {
            return new OptionalLong(null);
        }

        public boolean isPresent() {
            return value != null;
        }
    }
}
