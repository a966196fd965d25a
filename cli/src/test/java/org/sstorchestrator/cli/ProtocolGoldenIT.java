package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stdout protocol, byte for byte, against golden files: our joiner and our donor run
 * against each other as mysqld would run them, on the IST-bypass path (which needs no
 * server). Regenerate with -Dregenerate.golden=true.
 */
class ProtocolGoldenIT {

    private static final String GTID = "6aa82394-e53e-11f1-9d1a-a25450683f20:1234";

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.AfterEach
    void ledger() {
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void istBypassJoinerPrintsReadyThenTheDonorsPositionAndDonorPrintsContinueThenDone() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"));
        Path joinerData = Files.createDirectories(tmp.resolve("joiner"));
        Path donorData = Files.createDirectories(tmp.resolve("donor"));
        Path cnf = tmp.resolve("my.cnf");
        Files.write(cnf, List.of("[sst]", "history-dir=" + tmp.resolve("history")));
        Path jOut = tmp.resolve("joiner.out");
        Process joiner = SstLauncher.start(env, jOut, tmp.resolve("joiner.err"), "--role", "joiner", "--address",
                "127.0.0.1:" + port, "--datadir", joinerData.toString(), "--defaults-file", cnf.toString(),
                "--parent", Long.toString(ProcessHandle.current().pid()), "--progress", "0");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.readString(jOut).contains("\n") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String ready = Files.readString(jOut).strip();
        assertTrue(ready.startsWith("ready "), ready);
        Files.write(tmp.resolve("donor.cnf"), List.of("[sst]", "history-dir=" + tmp.resolve("history-donor")));
        Path dOut = tmp.resolve("donor.out");
        Process donor = SstLauncher.start(env, dOut, tmp.resolve("donor.err"), "--role", "donor", "--address",
                ready.substring("ready ".length()), "--datadir", donorData.toString(), "--defaults-file",
                tmp.resolve("donor.cnf").toString(), "--gtid", GTID, "--gtid-domain-id", "7", "--bypass");
        assertTrue(donor.waitFor(60, TimeUnit.SECONDS) && joiner.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, donor.exitValue(), Files.readString(tmp.resolve("donor.err")));
        assertEquals(0, joiner.exitValue(), Files.readString(tmp.resolve("joiner.err")));
        Golden.assertMatches("joiner-ist.stdout", Files.readString(jOut).replace(Integer.toString(port), "<PORT>"));
        Golden.assertMatches("donor-ist.stdout", Files.readString(dOut));
        String err = Files.readString(tmp.resolve("joiner.err"));
        assertTrue(err.lines().allMatch(l -> l.matches("WSREP_SST: \\[(INFO|WARNING|ERROR|DEBUG)\\] .* \\(\\d{8} [0-9:.]{12}\\)")),
                "every stderr line has the WSREP_SST shape:\n" + err);
    }
}
