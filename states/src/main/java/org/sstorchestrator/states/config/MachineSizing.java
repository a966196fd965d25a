package org.sstorchestrator.states.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What mariadb-backup gets when the operator sets neither backup-threads nor use-memory (nor
 * an innodb-buffer-pool-size to fall back on): the stock script then passes nothing, and
 * mariadb-backup runs one copy thread and prepares in 100 MiB. We size from the machine
 * instead, a deliberate difference, logged with its reason on every run that uses it.
 *
 * <ul>
 *   <li>The donor's backup: half the CPUs, at most 4. The donor is a live server; copy
 *       threads mostly read and checksum pages, and half the CPUs leaves the other half to
 *       it.</li>
 *   <li>The joiner's move-back: every CPU, at most 8. No server runs on the joiner yet.</li>
 *   <li>The joiner's prepare: a quarter of MemAvailable, at least 100 MiB and at most 4 GiB.
 *       Prepare applies the redo written during the backup; a buffer pool that holds the
 *       pages it touches saves re-reading them, and no server competes for memory yet.</li>
 * </ul>
 */
public record MachineSizing(int cpus, OptionalLong memAvailableBytes) {

    static final long MIB = 1L << 20;
    static final long PREPARE_FLOOR = 100 * MIB;
    static final long PREPARE_CAP = 4096 * MIB;

    public static MachineSizing ofThisMachine() {
        return new MachineSizing(Runtime.getRuntime().availableProcessors(), memAvailable(Path.of("/proc/meminfo")));
    }

    public int backupParallel() {
        return Math.max(1, Math.min(4, cpus / 2));
    }

    public int moveBackParallel() {
        return Math.max(1, Math.min(8, cpus));
    }

    /** A quarter of MemAvailable in whole MiB, within [100 MiB, 4 GiB]; 100 MiB when it cannot be read. */
    public String prepareUseMemory() {
        long quarter = memAvailableBytes.orElse(0) / 4;
        return Math.max(PREPARE_FLOOR, Math.min(PREPARE_CAP, quarter)) / MIB + "M";
    }

    static OptionalLong memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] w = line.trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(w[1]) * 1024); // /proc/meminfo counts kB
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // a kernel without MemAvailable, or no /proc: the floor applies
        }
        return OptionalLong.empty();
    }
}
