package org.sstorchestrator.cli.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.layout.SstFiles;

class AtomicFileTest {

    @Test
    void aWriteLeavesTheTargetAloneInItsDirectoryReadableByAll(@TempDir Path dir) throws Exception {
        Path target = dir.resolve(SstFiles.STATUS);

        AtomicFile.write(target, "{\"a\":1}\n".getBytes(), false);
        AtomicFile.write(target, "{\"a\":2}\n".getBytes(), true);

        assertEquals("{\"a\":2}\n", Files.readString(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList(), "no temporary file is left");
        }
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    /** The joiner's wipe must spare the status's temporary file, which it knows only by its name. */
    @Test
    void theLiveStatusIsWrittenThroughAFileTheWipeKnowsAsTheStatus() {
        String tmp = AtomicFile.temporaryName(SstFiles.STATUS, ProcessHandle.current().pid());

        assertTrue(SstFiles.isLiveStatus(tmp), tmp);
        assertTrue(SstFiles.isLiveStatus(AtomicFile.temporaryName(SstFiles.STATUS, 4_194_304L)));
    }
}
