package org.sstorchestrator.states.layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.config.ServerFiles;

/**
 * The InnoDB and Aria directories a server may keep apart from its datadir, found as the
 * shipped common script finds them (docs/compatibility.md#the-joiners-layout): mysqld's argument to us, else
 * the environment variable mysqld sets ({@code INNODB_DATA_HOME_DIR}; the script also reads
 * {@code INNODB_LOG_GROUP_HOME} and {@code INNODB_UNDO_DIR}), else mysqld's own command line;
 * on the joiner, else my.cnf's server groups. Relative values are relative to the datadir.
 *
 * <p>The joiner creates them at its start and wipes them with the datadir: move-back never
 * overwrites a file, so an old {@code ibdata1}, {@code ib_logfile0} or {@code undo001} left in
 * one would fail it after the datadir was wiped (issue 9). What mysqld passed (argument,
 * environment, its command line; not my.cnf, which mariadb-backup reads itself) is also given
 * to every mariadb-backup call, as the stock script's INNOEXTRA.
 */
public final class DataDirs {

    /** The four directories, in the order the stock script passes them to mariadb-backup. */
    public enum Kind {
        ARIA("aria-log-dir-path", null),
        DATA_HOME("innodb-data-home-dir", "INNODB_DATA_HOME_DIR"),
        LOG_HOME("innodb-log-group-home-dir", "INNODB_LOG_GROUP_HOME"),
        UNDO("innodb-undo-directory", "INNODB_UNDO_DIR");

        private final String option;
        private final String env;

        Kind(String option, String env) {
            this.option = option;
            this.env = env;
        }

        public String option() {
            return option;
        }

        /** The environment variable the common script reads it from, if any. */
        public Optional<String> env() {
            return Optional.ofNullable(env);
        }

        private Optional<String> fromConfig(ServerFiles cnf) {
            return switch (this) {
                case ARIA -> cnf.ariaLogDirPath();
                case DATA_HOME -> cnf.dataHomeDir();
                case LOG_HOME -> cnf.logGroupHomeDir();
                case UNDO -> cnf.undoDirectory();
            };
        }
    }

    /** Where a value came from; only {@link #MY_CNF} is not passed on to mariadb-backup. */
    public enum Source {
        ARGUMENT("mysqld's argument"), ENVIRONMENT("mysqld's environment"), MYSQLD_ARGS("mysqld's command line"),
        MY_CNF("my.cnf");

        private final String shown;

        Source(String shown) {
            this.shown = shown;
        }
    }

    /** One directory: the value as given (trimmed as the stock script trims it), its source and its path. */
    public record Dir(Kind kind, String value, Source source, Path path) {
        @Override
        public String toString() {
            return kind.option + "=" + path + " (" + source.shown + ")";
        }
    }

    /** The stock script's order for its wipe's start points: data home, undo, redo, Aria. */
    private static final List<Kind> WIPE_ORDER = List.of(Kind.DATA_HOME, Kind.UNDO, Kind.LOG_HOME, Kind.ARIA);

    private final Path datadir;
    private final Map<Kind, Dir> dirs;

    private DataDirs(Path datadir, Map<Kind, Dir> dirs) {
        this.datadir = datadir;
        this.dirs = dirs;
    }

    public static DataDirs resolve(SstArguments args, Map<String, String> env, ServerFiles cnf, Role role) {
        Path datadir = args.datadir();
        Map<Kind, Dir> dirs = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            Source source = null;
            String value = args.get(k.option).map(DataDirs::trimDir).filter(v -> !v.isEmpty()).orElse(null);
            if (value != null) {
                source = Source.ARGUMENT;
            }
            if (value == null && k.env != null) {
                value = Optional.ofNullable(env.get(k.env)).map(DataDirs::trimDir).filter(v -> !v.isEmpty()).orElse(null);
                source = Source.ENVIRONMENT;
            }
            if (value == null) {
                value = args.mysqldOption(k.option).map(DataDirs::trimDir).filter(v -> !v.isEmpty()).orElse(null);
                source = Source.MYSQLD_ARGS;
            }
            if (value == null && role == Role.JOINER) {
                value = k.fromConfig(cnf).map(DataDirs::trimDir).filter(v -> !v.isEmpty()).orElse(null);
                source = Source.MY_CNF;
            }
            if (value != null) {
                dirs.put(k, new Dir(k, value, source, datadir.resolve(value).normalize()));
            }
        }
        return new DataDirs(datadir, dirs);
    }

    private static String trimDir(String v) {
        return org.sstorchestrator.states.config.SstConfig.trimDir(v);
    }

    public Optional<Dir> get(Kind k) {
        return Optional.ofNullable(dirs.get(k));
    }

    /** {@code --aria-log-dir-path=...} and the InnoDB directories mysqld passed, for every mariadb-backup call. */
    public List<String> backupOptions() {
        List<String> out = new ArrayList<>();
        for (Dir d : dirs.values()) {
            if (d.source != Source.MY_CNF) {
                out.add("--" + d.kind.option + "=" + d.value);
            }
        }
        return out;
    }

    /**
     * The directories apart from the datadir, in the stock wipe's order, each once: not
     * {@code .}, not the datadir itself.
     */
    public List<Path> separate() {
        Set<Path> out = new LinkedHashSet<>();
        for (Kind k : WIPE_ORDER) {
            Dir d = dirs.get(k);
            if (d != null && !d.value.equals(".") && !d.path.equals(datadir)) {
                out.add(d.path);
            }
        }
        return List.copyOf(out);
    }

    /** Every directory the joiner works in: the separate ones first, as the stock wipe lists them, then the datadir. */
    public List<Path> wipeRoots() {
        List<Path> out = new ArrayList<>(separate());
        out.add(datadir);
        return out;
    }

    /**
     * Refuses (22) a directory that holds the datadir (its parent, say, or {@code /}): the
     * joiner empties each of these directories, and the stock script would empty that one
     * too, taking everything beside the datadir with it. Checked before anything is changed.
     */
    public void refuseAnyHoldingTheDatadir() {
        for (Dir d : dirs.values()) {
            if (d.source != null && !d.path.equals(datadir) && datadir.startsWith(d.path)) {
                throw new SstException(ExitCode.EINVAL, d.kind.option + " = '" + d.value + "' (" + d.source.shown
                        + ") holds the datadir " + datadir + ": the joiner's wipe empties that directory, which would"
                        + " take everything beside the datadir with it; give it a directory of its own");
            }
        }
    }

    /** {@code mkdir -p} of each separate directory, as the stock joiner does at its start; returns those it made. */
    public List<Path> create() throws IOException {
        List<Path> made = new ArrayList<>();
        for (Path p : separate()) {
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
                made.add(p);
            }
        }
        return made;
    }

    /** The values that came from the environment, to be recorded (a resumed run has not mysqld's environment). */
    public Map<String, String> fromEnvironment() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Dir d : dirs.values()) {
            if (d.source == Source.ENVIRONMENT) {
                out.put(d.kind.env, d.value);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return dirs.isEmpty() ? "none" : dirs.values().toString();
    }
}
