package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.sstorchestrator.cli.run.ProcCommandLine;
import org.sstorchestrator.persistence.HistoryException;

/**
 * sst-admin run as root on a history another user controls hands the command to itself
 * running as that user (issue 18): the same JVM command line, through util-linux's
 * {@code setpriv} (every Debian has it) with that user's uid, the history directory's group,
 * the user's supplementary groups, no capabilities and no way to gain privileges back
 * ({@code --no-new-privs}). Nothing of the history is opened before the hand-over: only the
 * directory and its entries are looked at ({@link HistoryOwner}). The second process gets the
 * history directory as it was resolved here, so both act on the same one, and is marked with
 * the uid it must run as: a second process still root (setpriv ignored) refuses rather than
 * hand over again.
 */
final class Handover {

    /** The history directory as the root process resolved it. */
    static final String HISTORY_DIR = "sst.admin.history-dir";
    /** The uid the second process must have. */
    static final String AS_UID = "sst.admin.as-uid";
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private Handover() {
    }

    /** The command that runs {@code argv} (this JVM's) as {@code to}, acting on {@code historyDir}. */
    static List<String> command(List<String> argv, HistoryOwner.Decision to, Path historyDir, boolean userHasGroups) {
        List<String> cmd = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + to.uid(), "--regid=" + to.gid(),
                userHasGroups ? "--init-groups" : "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--"));
        cmd.add(argv.get(0));
        cmd.add("-D" + HISTORY_DIR + "=" + historyDir);
        cmd.add("-D" + AS_UID + "=" + to.uid());
        cmd.addAll(argv.subList(1, argv.size()));
        return cmd;
    }

    /** Runs this sst-admin as {@code to} and returns its exit code. */
    static int run(HistoryOwner.Decision to, Path historyDir) {
        if (!Files.isExecutable(SETPRIV)) {
            throw new HistoryException("the history " + historyDir + " belongs to " + to.user() + ", and root acts on it only"
                    + " as that user, through " + SETPRIV + ", which is missing; install util-linux or run sst-admin as "
                    + to.user());
        }
        List<String> argv = ProcCommandLine.self().orElseThrow(() -> new HistoryException(
                "cannot read this process's command line to run it as " + to.user()));
        boolean named = to.user() != null && !to.user().matches("\\d+");
        Process child;
        try {
            child = new ProcessBuilder(command(argv, to, historyDir, named)).inheritIO().start();
        } catch (IOException e) {
            throw new HistoryException("cannot run sst-admin as " + to.user() + ": " + e.getMessage());
        }
        // a SIGTERM to us reaches the command running in our place
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    child.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "handover-signal"));
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException ignored) {
                // only the child's end ends us
            }
        }
    }

    /** In the second process: the history directory the first one resolved, if this is one. */
    static Optional<Path> handedHistoryDir() {
        String dir = System.getProperty(HISTORY_DIR);
        if (dir == null) {
            return Optional.empty();
        }
        String uid = System.getProperty(AS_UID);
        if (uid == null || !uid.equals(Integer.toString(HistoryOwner.effectiveUid()))) {
            throw new HistoryException("this sst-admin was to run as uid " + uid + " but runs as uid "
                    + HistoryOwner.effectiveUid() + "; refusing to act on " + dir);
        }
        return Optional.of(Path.of(dir));
    }
}
