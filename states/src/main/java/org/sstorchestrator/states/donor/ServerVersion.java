package org.sstorchestrator.states.donor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.mariabackup.MariadbBackup;
import org.sstorchestrator.states.run.SstContext;

/**
 * The running server's version, which the donor announces in transfer 1 (issue 22). Asked of the
 * server itself, the way mariadb-backup is about to reach it (the SST user, MYSQL_PWD, the socket
 * or the extra port): during an upgrade the binary on disk may already be the new package's
 * while the old server still runs. Never fails the run: without the client or an answer the
 * joiner judges by the mariadb-backup version, and by the backup's own info file.
 */
final class ServerVersion {

    private static final Logger LOG = LoggerFactory.getLogger(ServerVersion.class);
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,3}\\.[0-9]{1,3}[0-9A-Za-z.+~_-]{0,100}");

    private ServerVersion() {
    }

    static Optional<String> of(SstContext ctx) {
        Optional<Path> client = ctx.tools.find("mariadb");
        if (client.isEmpty()) {
            LOG.info("No mariadb client on PATH: transfer 1 announces the mariadb-backup version alone");
            return Optional.empty();
        }
        List<String> rest = new ArrayList<>(MariadbBackup.serverConnection(ctx));
        rest.addAll(List.of("--connect-timeout=5", "-N", "-B", "-e", "SELECT VERSION()"));
        ChildProcesses.Captured out = ctx.children.capture(
                MariadbBackup.withPassword(ctx, Command.of(client.get(), MariadbBackup.withDefaults(ctx, rest))));
        String v = out.stdout().strip();
        if (out.exitCode() != 0 || !VERSION.matcher(v).matches()) {
            LOG.warn("Could not ask the server its version (exit {}: {}): transfer 1 announces the mariadb-backup"
                    + " version alone", out.exitCode(), out.stderr().strip());
            return Optional.empty();
        }
        return Optional.of(v);
    }
}
