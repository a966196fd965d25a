package org.sstorchestrator.states;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * mysqld's own command line, as passed after {@code --mysqld-args}. Like the common script we
 * pick out the directory and binlog options we need, drop the options that would make
 * mariadb-backup read another config or talk to another server, and pass the rest on.
 */
final class MysqldArgs {

    private static final Set<String> PICKED = Set.of("datadir", "innodb-data-home-dir", "innodb-log-group-home-dir",
            "innodb-undo-directory", "aria-log-dir-path", "innodb-buffer-pool-filename", "innodb-buffer-pool-size",
            "innodb-force-recovery", "log-bin", "log-bin-index", "log-basename", "plugin-dir");
    /** Never passed to mariadb-backup: they belong to the server process or name another config. */
    private static final Set<String> DROPPED = Set.of("defaults-file", "defaults-extra-file", "defaults-group-suffix",
            "no-defaults", "user", "port", "socket", "innodb-force-recovery", "wsrep-new-cluster");

    private final Map<String, String> picked;
    private final List<String> passThrough;

    private MysqldArgs(Map<String, String> picked, List<String> passThrough) {
        this.picked = picked;
        this.passThrough = passThrough;
    }

    static MysqldArgs parse(List<String> args) {
        Map<String, String> picked = new HashMap<>();
        List<String> pass = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                pass.add(arg);
                continue;
            }
            String body = arg.substring(2);
            if (body.startsWith("loose-")) {
                body = body.substring("loose-".length());
            }
            int eq = body.indexOf('=');
            String name = (eq < 0 ? body : body.substring(0, eq)).replace('_', '-');
            String value = eq < 0 ? null : body.substring(eq + 1);
            if (value == null && PICKED.contains(name) && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            }
            if (PICKED.contains(name) && value != null) {
                picked.put(name, value);
            }
            if (!DROPPED.contains(name)) {
                pass.add(value == null ? arg : "--" + name + "=" + value);
            }
        }
        return new MysqldArgs(picked, List.copyOf(pass));
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(picked.get(name)).filter(v -> !v.isEmpty());
    }

    List<String> passThrough() {
        return passThrough;
    }
}
