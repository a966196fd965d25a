package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The CPU that a mariadbd's reaped children used: {@code cutime + cstime} of its
 * /proc/&lt;pid&gt;/stat. When mariadbd reaps its SST script, the CPU of the whole tree the
 * script waited for (socat, mariadb-backup, mbstream, our JVM and the children it waited for)
 * lands there; a grandchild left to init would be missed, which neither method does.
 */
final class ChildCpu {

    private final double ticksPerSecond;

    private ChildCpu(double ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    static ChildCpu open() throws IOException, InterruptedException {
        return new ChildCpu(Double.parseDouble(Cmd.output(Duration.ofSeconds(10), Map.of(), "getconf", "CLK_TCK")));
    }

    /** CPU seconds, user + system, of the children {@code pid} has reaped so far. */
    double reapedSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) may hold spaces and ')': count fields after its last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long cutime = Long.parseLong(f[16 - 3]);
        long cstime = Long.parseLong(f[17 - 3]);
        return (cutime + cstime) / ticksPerSecond;
    }

    /**
     * Waits until {@code pid} has no children left, zombies included, so its SST script has
     * been reaped and counted (a donor's script may still be cleaning up when the joiner is
     * Synced).
     */
    static void awaitNoChildren(long pid, String who, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProcessHandle parent = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(who + ": mariadbd (pid " + pid + ") is gone"));
        while (parent.children().findAny().isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(who + ": mariadbd (pid " + pid + ") still has a child after "
                        + timeout.toSeconds() + " s: " + parent.children().map(c -> c.info().commandLine()
                        .orElse(Long.toString(c.pid()))).toList() + "; its SST did not end");
            }
            Thread.sleep(50);
        }
    }
}
