package org.sstorchestrator.states;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.sstorchestrator.states.layout.SstLock;

/**
 * Run in a child JVM by SstLockTest: waits for the go file, tries the datadir's lock once, says
 * whether it won, and a winner holds it until the release file appears.
 */
public final class LockContender {

    private LockContender() {
    }

    public static void main(String[] args) throws Exception {
        Path datadir = Path.of(args[0]);
        Path go = Path.of(args[1]);
        Path release = Path.of(args[1] + ".release");
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.onSpinWait();
        }
        try {
            SstLock lock = SstLock.acquire(datadir, Duration.ZERO);
            System.out.println("won");
            System.out.flush();
            while (!Files.exists(release)) { // hold it until every other contender has had its try
                Thread.sleep(10);
            }
            lock.release();
        } catch (SstException e) {
            System.out.println("lost " + e.code().code());
        }
    }
}
