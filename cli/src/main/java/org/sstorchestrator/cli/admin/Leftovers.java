package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.states.SstLock;

/**
 * What a run left on disk and in the process table: its receive directory, markers, temporary
 * directories and any child of it still running. Only paths the run itself recorded or the
 * fixed names of the SST are considered; the datadir's real data never is.
 */
final class Leftovers {

    /** One thing left behind: a path to delete, or a pid to kill. */
    record Item(String kind, String path, Long pid, String note) {
    }

    private Leftovers() {
    }

    static List<Item> of(RunDetail run) {
        List<Item> out = new ArrayList<>();
        Path datadir = Path.of(run.datadir());
        String role = run.summary().role();
        Optional<Long> liveSst = SstLock.liveOwner(datadir.resolve(SstLock.FILE));
        // children first: cleanup kills them before it deletes the directories they write to
        out.addAll(orphans(run, liveSst.isPresent()));
        if (role.equals("joiner") && liveSst.isEmpty()) {
            // with a live SST on this datadir, .sst and the marker are that SST's, never this run's leftovers
            Path sst = datadir.resolve(".sst");
            // .sst of a completed run is gone; one that exists belongs to the newest joiner run that did not complete
            if (Files.isDirectory(sst) && !run.summary().outcome().equals("completed")) {
                out.add(new Item("directory", sst.toString(), null, "received backup (" + mb(org.sstorchestrator.states.FileTree.size(sst)) + ")"));
            }
            Path marker = datadir.resolve("sst_in_progress");
            if (Files.exists(marker) && read(marker).map(c -> c.strip().equals(run.summary().id())).orElse(false)) {
                out.add(new Item("file", marker.toString(), null, "in-progress marker"));
            }
        }
        for (String attr : List.of("tmp_magic", "tmp_backup", "tmp_tmpdir")) {
            String p = run.attributes().get(attr);
            if (p != null && Files.exists(Path.of(p))) {
                out.add(new Item("directory", p, null, "temporary directory"));
            }
        }
        Path pidFile = datadir.resolve("wsrep_sst.pid");
        Optional<String> pid = read(pidFile).map(String::strip);
        if (pid.isPresent() && !run.summary().outcome().equals("running")
                && pid.get().matches("\\d+") && ProcessHandle.of(Long.parseLong(pid.get())).map(p -> !p.isAlive()).orElse(true)) {
            out.add(new Item("file", pidFile.toString(), null, "stale SST lock (pid " + pid.get() + " is gone)"));
        }
        return out;
    }

    /**
     * Children that outlived the run: mbstream in its .sst, mariadb-backup writing to its temp
     * dirs. While another SST is live on the datadir, an mbstream in .sst is that SST's.
     */
    private static List<Item> orphans(RunDetail run, boolean liveSstOnDatadir) {
        List<Item> out = new ArrayList<>();
        if (run.summary().outcome().equals("running")) {
            return out;
        }
        Path sst = Path.of(run.datadir()).resolve(".sst");
        List<String> marks = new ArrayList<>();
        for (String attr : List.of("tmp_backup", "tmp_tmpdir")) {
            String p = run.attributes().get(attr);
            if (p != null) {
                marks.add(p);
            }
        }
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                Path proc = Path.of("/proc", Long.toString(p.pid()));
                String cmd = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
                boolean inSst = !liveSstOnDatadir && run.summary().role().equals("joiner") && cmd.contains("mbstream")
                        && Files.readSymbolicLink(proc.resolve("cwd")).equals(sst);
                boolean inTmp = marks.stream().anyMatch(cmd::contains);
                if (inSst || inTmp) {
                    out.add(new Item("process", null, p.pid(), cmd.strip()));
                }
            } catch (IOException | SecurityException | UnsupportedOperationException gone) {
                // exited meanwhile, or not ours to read
            }
        });
        return out;
    }

    private static Optional<String> read(Path p) {
        try {
            return Files.exists(p) ? Optional.of(Files.readString(p)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
