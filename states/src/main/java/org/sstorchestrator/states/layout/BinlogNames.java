package org.sstorchestrator.states.layout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.config.ServerFiles;

/**
 * The binary log's name, index and base name, found as the shipped common script finds them
 * (10.11.19, docs/compatibility.md#the-joiners-layout):
 * <ol>
 *   <li>from mysqld: {@code --binlog} or {@code --log-bin}, {@code --binlog-index} or
 *       {@code --log-bin-index}, {@code --log-basename}, each else the last of mysqld's own
 *       command line; a bare {@code --log-bin} there names {@code <basename>-bin}, or
 *       {@code mysql-bin} without a base name;</li>
 *   <li>the joiner alone then falls back to my.cnf's server groups for each, and a bare
 *       {@code log-bin} there turns the binary log on the same way;</li>
 *   <li>with a binary log, an unnamed index is {@code <basename>-bin.index} when a base name is
 *       known (mysqld's own rule, even when log-bin names another file), else
 *       {@code <log-bin>.index}; an index file name without an extension gets {@code .index}.</li>
 * </ol>
 * Relative names are relative to the datadir. What mysqld passed (never what my.cnf says: mariadb-backup
 * reads my.cnf itself) also goes to mariadb-backup: {@code --log-bin=} with the other
 * directory options, and {@code --log-bin-index=}, {@code --log-basename=} at the front of
 * {@code --mysqld-args}.
 */
public final class BinlogNames {

    public static final BinlogNames OFF = new BinlogNames(null, null, null, null, null);

    private final String argName;
    private final String argIndex;
    private final String argBasename;
    private final String name;
    private final String index;

    private BinlogNames(String argName, String argIndex, String argBasename, String name, String index) {
        this.argName = argName;
        this.argIndex = argIndex;
        this.argBasename = argBasename;
        this.name = name;
        this.index = index;
    }

    public static BinlogNames resolve(SstArguments args, ServerFiles cnf, Role role) {
        String argName = trimmed(args.get("binlog").or(() -> args.get("log-bin")).or(() -> args.mysqldOption("log-bin")));
        String argIndex = trimmed(args.get("binlog-index").or(() -> args.get("log-bin-index"))
                .or(() -> args.mysqldOption("log-bin-index")));
        String argBasename = trimmed(args.get("log-basename").or(() -> args.mysqldOption("log-basename")));
        if (argName == null && args.mysqldHas("log-bin")) {
            argName = bareName(argBasename);
        }
        String name = argName;
        String index = argIndex;
        String basename = argBasename;
        if (role == Role.JOINER) {
            name = name != null ? name : trimmed(cnf.logBin());
            index = index != null ? index : trimmed(cnf.logBinIndex());
            basename = basename != null ? basename : trimmed(cnf.logBasename());
            if (name == null && cnf.logBinPresent()) {
                name = bareName(basename);
            }
        }
        if (name == null) {
            return new BinlogNames(argName, argIndex, argBasename, null, null);
        }
        if (index == null) {
            index = basename != null ? basename + "-bin.index" : name + ".index";
        } else if (!Path.of(index).getFileName().toString().contains(".")) {
            index = index + ".index";
        }
        return new BinlogNames(argName, argIndex, argBasename, name, index);
    }

    private static String bareName(String basename) {
        return basename != null ? basename + "-bin" : "mysql-bin";
    }

    private static String trimmed(Optional<String> v) {
        return v.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
    }

    /** Whether this node writes a binary log (on the donor: as far as mysqld's arguments tell). */
    public boolean on() {
        return name != null;
    }

    /** The binary log's name as configured (relative to the datadir, or absolute). */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** The index's name as resolved (relative to the datadir, or absolute). */
    public Optional<String> index() {
        return Optional.ofNullable(index);
    }

    /** {@code --log-bin=} for every mariadb-backup call, when mysqld named the binary log. */
    public List<String> backupOptions() {
        return argName == null ? List.of() : List.of("--log-bin=" + argName);
    }

    /** What goes before mysqld's own words in {@code --mysqld-args}: the index and base name mysqld passed. */
    public List<String> mysqldArgsPrefix() {
        List<String> out = new ArrayList<>();
        if (argName != null && argIndex != null) {
            out.add("--log-bin-index=" + argIndex);
        }
        if (argBasename != null) {
            out.add("--log-basename=" + argBasename);
        }
        return out;
    }

    /** The files of the binary log on disk, or empty when it is off. */
    public Optional<Files> files(Path datadir) {
        if (name == null) {
            return Optional.empty();
        }
        Path full = datadir.resolve(name).normalize();
        return Optional.of(new Files(full.getParent(), full.getFileName().toString(), datadir.resolve(index).normalize()));
    }

    /** The binary log's directory, its files' base name ({@code <base>.000001}) and its index. */
    public record Files(Path dir, String base, Path index) {

        /** {@code <base>.<digit>...}: a binary log of this base name (the stock script's glob {@code <base>.[0-9]*}). */
        public boolean isBinlog(String fileName) {
            return fileName.startsWith(base + ".") && fileName.length() > base.length() + 1
                    && Character.isDigit(fileName.charAt(base.length() + 1));
        }
    }

    @Override
    public String toString() {
        return name == null ? "off" : name + " (index " + index + ")";
    }
}
