package org.sstorchestrator.cli.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.states.layout.FileTree;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.machine.SstMachines;

/**
 * What a run left on disk and in the process table: its receive directory, markers, temporary
 * directories and any child of it still running, each with a verdict.
 *
 * <p>The history is writable by the SST's user and sst-admin often runs as root, so nothing
 * a history says is trusted as a path to delete or a process to kill: a temporary directory
 * counts only if it is named as ours and sits directly in the run's temporary base; a process
 * only if its pid, its own start time and its program are those recorded when the run started
 * it. And {@code .sst} is refused (unless forced) when it is all that is left of the data (the
 * wipe began) or when {@code sst-admin resume} could still finish the run with it.
 */
final class Leftovers {

    /** One thing left behind: a path to delete, or a pid to kill; {@code refusal} says why not, if so. */
    record Item(String kind, String path, Long pid, String note, String refusal) {

        boolean removable(boolean force) {
            return refusal == null || force;
        }
    }

    private Leftovers() {
    }

    /** {@code newestOnDatadir}: this is the newest joiner run on its datadir (.sst and the marker are its). */
    static List<Item> of(RunDetail run, boolean newestOnDatadir) {
        List<Item> out = new ArrayList<>();
        Path datadir = Path.of(run.datadir());
        String role = run.summary().role();
        boolean ended = !run.summary().outcome().equals("running");
        Optional<Long> liveSst = SstLock.liveOwner(datadir.resolve(SstFiles.LOCK));
        // children first: cleanup kills them before it deletes the directories they write to
        if (ended) {
            out.addAll(orphans(run));
        }
        if (role.equals("joiner") && liveSst.isEmpty() && newestOnDatadir && !run.summary().outcome().equals("completed")) {
            // with a live SST on this datadir, .sst and the marker are that SST's, never this run's leftovers
            Path sst = SstFiles.receiveDir(datadir);
            if (Files.isDirectory(sst, LinkOption.NOFOLLOW_LINKS)) {
                out.add(new Item("directory", sst.toString(), null, "received backup (" + mb(FileTree.size(sst)) + ")",
                        receiveDirRefusal(run, datadir)));
            }
            Path marker = datadir.resolve(SstFiles.IN_PROGRESS);
            if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                    && read(marker).map(c -> c.strip().equals(run.summary().id())).orElse(false)) {
                out.add(new Item("file", marker.toString(), null, "in-progress marker", null));
            }
        }
        Path status = datadir.resolve(SstFiles.STATUS);
        if (ended && liveStatusOf(datadir).map(s -> s.run().equals(run.summary().id())).orElse(false)) {
            // the run's own status, left when its process died: the probe calls it stale until it goes
            out.add(new Item("file", status.toString(), null, "live status", null));
        }
        Path base = Path.of(run.attributes().getOrDefault(SstFiles.TMP_BASE, System.getProperty("java.io.tmpdir")));
        for (String attr : SstFiles.TMP_ATTRIBUTES) {
            String p = run.attributes().get(attr);
            if (p == null || !Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS) || !ended) {
                continue;
            }
            out.add(new Item("directory", p, null, "temporary directory", SstFiles.isOurTempDir(Path.of(p), base) ? null
                    : "not a temporary directory of ours under " + base + " (the history names it; it is not trusted)"));
        }
        Path pidFile = datadir.resolve(SstFiles.LOCK);
        Optional<String> pid = read(pidFile).map(String::strip);
        if (pid.isPresent() && ended && Files.isRegularFile(pidFile, LinkOption.NOFOLLOW_LINKS) && liveSst.isEmpty()) {
            out.add(new Item("file", pidFile.toString(), null, "stale SST lock (pid " + pid.get() + " is gone)", null));
        }
        return out;
    }

    /** Whether the run reached a wipe: from then on the datadir may hold only part of any data. */
    static boolean wipeBegan(RunDetail run) {
        return SstMachines.wipeBegan(run.events().stream().map(RunDetail.Event::stage).toList());
    }

    /** Why {@code .sst} must stay, or null. */
    private static String receiveDirRefusal(RunDetail run, Path datadir) {
        boolean wipeBegan = wipeBegan(run);
        boolean moved = SstMachines.dataInPlace(run.completedStages());
        if (wipeBegan && !moved) {
            return "the old datadir was wiped: this may be the only copy of the data"
                    + (InspectCommand.resumable(run) ? "; sst-admin resume " + run.summary().id().substring(0, 8)
                    + " finishes the SST with it" : "; keep it until a new SST has succeeded");
        }
        if (run.summary().outcome().equals("interrupted") && InspectCommand.resumable(run)
                && SstFiles.holdsWholeBackup(datadir)) {
            return "sst-admin resume " + run.summary().id().substring(0, 8) + " can still finish the SST with it";
        }
        return null;
    }

    /**
     * Children that outlived the run: those it recorded as it started them, still running with
     * the same start time and program. A history of 0.1.0 recorded no starts: none are found.
     */
    private static List<Item> orphans(RunDetail run) {
        List<Item> out = new ArrayList<>();
        for (RunDetail.ChildStart c : run.childStarts()) {
            Optional<ProcessHandle> p = ProcessHandle.of(c.pid());
            if (p.isEmpty() || !p.get().isAlive() || !sameStart(p.get(), c.pidStartedMs()) || !runs(c.pid(), c.program())) {
                continue;
            }
            out.add(new Item("process", null, c.pid(), p.get().info().commandLine().orElse(c.program()), null));
        }
        return out;
    }

    private static boolean sameStart(ProcessHandle p, Long recorded) {
        return recorded != null && p.info().startInstant()
                .map(s -> Math.abs(s.toEpochMilli() - recorded) <= 1_000).orElse(false);
    }

    /** The process runs {@code program}: as its executable, or as the script its interpreter runs. */
    private static boolean runs(long pid, String program) {
        try {
            Path proc = Path.of("/proc", Long.toString(pid));
            Path exe = Files.readSymbolicLink(proc.resolve("exe"));
            Path wanted = Path.of(program);
            if (exe.equals(wanted) || exe.equals(wanted.toRealPath())) {
                return true;
            }
            String[] argv = new String(Files.readAllBytes(proc.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\0");
            return argv.length > 1 && argv[1].equals(program) && Files.isRegularFile(wanted);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false; // gone, or not ours to read: never killed on a guess
        }
    }

    private static Optional<org.sstorchestrator.cli.live.LiveStatus> liveStatusOf(Path datadir) {
        try {
            return org.sstorchestrator.cli.live.LiveStatus.read(datadir);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // not one we can tell is this run's: left alone
        }
    }

    private static Optional<String> read(Path p) {
        try {
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(Files.readString(p)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
