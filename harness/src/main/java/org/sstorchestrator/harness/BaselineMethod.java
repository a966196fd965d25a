package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes the SST method {@code mariabackup_sm_base}: another build of ours (a checkout of an
 * older commit, built), so that a change's cost is measured against its base in the same run,
 * rounds alternating, instead of across two runs on a shared machine whose load drifts. Its
 * {@code wsrep_sst_mariabackup_sm_base} execs that build's own launcher, which finds its own
 * lib/; both builds keep their records in the node's one history (same schema).
 */
final class BaselineMethod {

    static final String METHOD = "mariabackup_sm_base";

    private BaselineMethod() {
    }

    /** {@code dir} as given to --baseline: a checkout whose launcher is built. */
    static Path checkout(String dir) {
        Path d = Path.of(dir).toAbsolutePath().normalize();
        Path launcher = d.resolve("bin/wsrep_sst_mariabackup_sm");
        if (!Files.isExecutable(launcher) || !Files.isDirectory(d.resolve("lib"))) {
            throw new IllegalArgumentException("--baseline '" + dir + "': no executable " + launcher + " beside a lib/;"
                    + " give a checkout built with mvn -DskipTests package");
        }
        return d;
    }

    static void install(Path bin, Path checkout) throws IOException {
        Files.createDirectories(bin);
        Path script = bin.resolve("wsrep_sst_" + METHOD);
        // exec, not a child: mysqld's signals and its wait reach the launcher itself
        Files.writeString(script, "#!/bin/sh\nexec '" + checkout.resolve("bin/wsrep_sst_mariabackup_sm") + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
