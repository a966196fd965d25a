package org.sstorchestrator.states.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a node's run history lives: [sst] history-dir, else a directory under
 * {@value #DEFAULT_ROOT} named after the datadir. Outside the datadir on purpose: the
 * joiner's wipe and move-back cannot touch it, and the donor's backup does not copy it.
 * sst-admin finds it from --datadir or --defaults-file alone.
 */
public final class HistoryLocation {

    public static final String DEFAULT_ROOT = "/var/lib/sst-orchestrator";
    /** Lets tests and unusual installs move the default root without editing my.cnf. */
    public static final String ROOT_VARIABLE = "SST_HISTORY_ROOT";

    private HistoryLocation() {
    }

    /** [sst] history-dir, a blank value as unset. */
    public static Optional<Path> configured(OptionFiles cnf) {
        return cnf.sst("history-dir").filter(s -> !s.isBlank()).map(Path::of);
    }

    public static Path resolve(Optional<Path> configured, Path datadir, String rootOverride) {
        if (configured.isPresent()) {
            return configured.get().toAbsolutePath().normalize();
        }
        String root = rootOverride == null || rootOverride.isBlank() ? DEFAULT_ROOT : rootOverride;
        String key = datadir.toAbsolutePath().normalize().toString().replaceAll("^/+", "").replace('/', '_');
        return Path.of(root, key.isEmpty() ? "root" : key);
    }
}
