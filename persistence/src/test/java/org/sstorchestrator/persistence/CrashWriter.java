package org.sstorchestrator.persistence;

import java.nio.file.Path;

/** Run in a child JVM: commits N events, prints "committed", then dies like kill -9. */
public final class CrashWriter {

    private CrashWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        HistoryDatabase db = HistoryDatabase.openForWriting(dir);
        H2RunJournal j = new H2RunJournal(db, System::currentTimeMillis);
        j.runStarted(new NewRun("00000000-0000-0000-0000-000000000001", "joiner", "/data", null,
                ProcessHandle.current().pid(), OwnerLiveness.startOf(ProcessHandle.current()), "test", 1L));
        for (int i = 0; i < n; i++) {
            j.stageStarted("00000000-0000-0000-0000-000000000001", "stage" + i);
        }
        System.out.println("committed");
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }
}
