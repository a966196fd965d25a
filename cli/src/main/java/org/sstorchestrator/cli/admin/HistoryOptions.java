package org.sstorchestrator.cli.admin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.config.HistoryLocation;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.ServerOptions;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Tools;
import picocli.CommandLine.Option;

/**
 * How every read command finds the history: --history-dir, else [sst] history-dir from
 * my.cnf, else the default place for the datadir (--datadir, or [mysqld] datadir).
 */
public final class HistoryOptions {

    @Option(names = "--history-dir", description = "the history directory ([sst] history-dir)")
    Path historyDir;

    @Option(names = "--datadir", description = "the node's datadir (default: [mysqld] datadir from my.cnf)")
    Path datadir;

    @Option(names = "--defaults-file", description = "the my.cnf mysqld runs with")
    Path defaultsFile;

    public Path resolve() {
        Optional<Path> handed = Handover.handedHistoryDir();
        if (handed.isPresent()) {
            return handed.get(); // resolved by the root process that handed this command over
        }
        if (historyDir != null) {
            return historyDir;
        }
        OptionFiles cnf = options();
        Optional<Path> configured = HistoryLocation.configured(cnf);
        Path dd = datadir != null ? datadir : ServerOptions.from(cnf).datadir().orElse(null);
        if (configured.isEmpty() && dd == null) {
            throw new HistoryException("no --history-dir, no [sst] history-dir and no datadir: pass --datadir or --defaults-file");
        }
        return HistoryLocation.resolve(configured, dd == null ? Path.of("/") : dd,
                System.getenv(HistoryLocation.ROOT_VARIABLE));
    }

    private OptionFiles options;

    /** my.cnf as my_print_defaults reads it for this node (--defaults-file), read once per command. */
    OptionFiles options() {
        if (options == null) {
            options = OptionFiles.read(children(), myPrintDefaults(), defaults());
        }
        return options;
    }

    /** The client groups of this node's my.cnf: how sst-admin reaches the node's server (ClusterAccess). */
    java.util.Map<String, String> clientOptions() {
        return OptionFiles.client(children(), myPrintDefaults(), defaults());
    }

    private List<String> defaults() {
        List<String> defaults = new ArrayList<>();
        if (defaultsFile != null) {
            defaults.add("--defaults-file=" + defaultsFile);
        }
        return defaults;
    }

    private static ChildProcesses children() {
        return new ChildProcesses((c, code, s, e) -> { }, new Abort());
    }

    private static Path myPrintDefaults() {
        return new Tools(System.getenv("PATH")).require("my_print_defaults", ExitCode.ENOENT);
    }

    /**
     * The node's datadir, for what lives there (sst_in_progress, the live status): --datadir,
     * else [mysqld] datadir from my.cnf, else the datadir of the history's newest run.
     */
    public Path datadir() {
        if (datadir != null) {
            return datadir;
        }
        if (historyDir == null || defaultsFile != null) {
            Optional<Path> configured = options().mysqld("datadir").map(Path::of);
            if (configured.isPresent()) {
                return configured.get();
            }
        }
        try (org.sstorchestrator.persistence.HistoryDatabase db =
                     org.sstorchestrator.persistence.HistoryDatabase.openForReading(resolve())) {
            org.sstorchestrator.persistence.HistoryQueries q = new org.sstorchestrator.persistence.HistoryQueries(db);
            return Path.of(q.detail(q.resolveRunId("last")).datadir());
        }
    }

    /**
     * The history a root sst-admin is about to act on, to decide as whom ({@link HistoryOwner});
     * empty when it cannot be found, and the command then says why itself.
     */
    Optional<Path> resolveForHandover() {
        try {
            return Optional.of(resolve());
        } catch (HistoryException | org.sstorchestrator.states.SstException e) {
            return Optional.empty();
        }
    }
}
