package org.sstorchestrator.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.states.exec.Command;

class JournalRecorderTest {

    private static final String RUN = "a1a1a1a1-0000-4000-8000-000000000001";

    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /**
     * mysqld runs the SST with its own umask (0006 by default, 007 under Debian's unit): kept
     * logs created under it were group-writable, and a root sst-admin then refused the whole
     * history (seen in ClusterHistoryIT: publish on a joiner's node, exit 1). Whatever the umask,
     * they are the owner's alone, as the database and its key are.
     */
    @Test
    void keptLogsAreTheOwnersAloneWhateverTheUmask() throws Exception {
        Path history = tmp.resolve("history");
        Path log = Files.writeString(tmp.resolve("mariabackup.prepare.log"), "a line\n");
        try (HistoryDatabase db = HistoryDatabase.openForWriting(history)) {
            H2RunJournal journal = new H2RunJournal(db, () -> 1L);
            journal.runStarted(new NewRun(RUN, "joiner", "/var/lib/mysql", null, 1, null, "test", 1L));
            new JournalRecorder(journal, RUN, history).ended(Command.of(Path.of("/bin/true"), List.of()).withLog(log), 0, 1L, 2L);
        }
        assertEquals("rwx------", mode(history.resolve("logs")));
        assertEquals("rwx------", mode(history.resolve("logs").resolve(RUN)));
        try (var kept = Files.list(history.resolve("logs").resolve(RUN))) {
            assertEquals("rw-------", mode(kept.findFirst().orElseThrow()));
        }
    }
}
