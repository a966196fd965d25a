package org.sstorchestrator.persistence;

import java.nio.file.Path;

/**
 * Run in a child JVM: commits N events, prints "committed", then dies like kill -9; or, with a
 * third argument "serve", holds the file and answers readers until its stdin closes; or, with a
 * third argument "handover", stops serving readers (as a closing writer does first), prints "committed", holds the file that many more milliseconds and closes normally.
 */
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
        if (args.length > 2 && args[2].equals("serve")) {
            // holds the file and answers readers until its stdin closes, then closes normally
            System.out.println("committed");
            System.out.flush();
            try {
                System.in.read();
            } catch (java.io.IOException e) {
                // the test ended
            }
            db.close();
            return;
        }
        if (args.length > 2 && args[2].equals("handover")) {
            try {
                db.stopServingReaders();
                System.out.println("committed");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[3]));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            db.close();
            return;
        }
        System.out.println("committed");
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }
}
