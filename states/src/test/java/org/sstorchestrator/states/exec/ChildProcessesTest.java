package org.sstorchestrator.states.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ChildProcessesTest {

    /**
     * A streaming child is recorded (its pid, for the history and a crash's cleanup) before
     * stream() returns: commons-exec hands the process to us on its own thread after the
     * streams are up, and DonorAbortTest once read the record before it was there (CI).
     */
    @Test
    void aStreamingChildIsRecordedBeforeItsStreamsAreHandedOut() throws Exception {
        List<ProcessHandle> recorded = new CopyOnWriteArrayList<>();
        ChildListener slow = new ChildListener() {
            @Override
            public void ended(Command command, Integer exitCode, long startedMs, long endedMs) {
            }

            @Override
            public void started(Command command, ProcessHandle process) {
                try {
                    Thread.sleep(300); // a history write that takes its time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                recorded.add(process);
            }
        };
        ChildProcesses children = new ChildProcesses(slow, new Abort());
        ChildProcesses.Streaming cat = children.stream(Command.of(Path.of("/bin/cat"), List.of()));
        assertEquals(1, recorded.size(), "recorded when stream() returned");
        cat.stdin().close();
        assertEquals(0, cat.finish());
    }
}
