package org.sstorchestrator.states.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineSizingTest {

    private static final long GIB = 1L << 30;

    @Test
    void theBackupTakesHalfTheCpusUpToFourAndMoveBackEveryCpuUpToEight() {
        assertEquals(1, new MachineSizing(1, OptionalLong.empty()).backupParallel());
        assertEquals(1, new MachineSizing(2, OptionalLong.empty()).backupParallel());
        assertEquals(3, new MachineSizing(6, OptionalLong.empty()).backupParallel());
        assertEquals(4, new MachineSizing(64, OptionalLong.empty()).backupParallel());
        assertEquals(1, new MachineSizing(1, OptionalLong.empty()).moveBackParallel());
        assertEquals(2, new MachineSizing(2, OptionalLong.empty()).moveBackParallel());
        assertEquals(8, new MachineSizing(64, OptionalLong.empty()).moveBackParallel());
    }

    @Test
    void prepareTakesAQuarterOfAvailableMemoryBetween100MAnd4G() {
        assertEquals("512M", new MachineSizing(2, OptionalLong.of(2 * GIB)).prepareUseMemory());
        assertEquals("100M", new MachineSizing(2, OptionalLong.of(GIB / 8)).prepareUseMemory());
        assertEquals("4096M", new MachineSizing(2, OptionalLong.of(64 * GIB)).prepareUseMemory());
        assertEquals("100M", new MachineSizing(2, OptionalLong.empty()).prepareUseMemory(), "unreadable: the floor");
    }

    @Test
    void memAvailableIsReadInKilobytesFromProcMeminfo(@TempDir Path tmp) throws Exception {
        Path meminfo = Files.writeString(tmp.resolve("meminfo"),
                "MemTotal:       24576000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n");
        assertEquals(OptionalLong.of(20_000_000L * 1024), MachineSizing.memAvailable(meminfo));
        assertEquals(OptionalLong.empty(), MachineSizing.memAvailable(tmp.resolve("missing")));
        assertTrue(MachineSizing.ofThisMachine().cpus() >= 1);
    }
}
