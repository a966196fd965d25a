package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the SST method {@code mariabackup_nosleep}: the stock script with its fixed
 * {@code sleep 10} replaced by a bounded connect retry, so the benchmark can tell how much
 * of our lead is that sleep and how much is the rest.
 *
 * <p>The donor sleeps there because it has no way to know when the joiner's second listener
 * (the backup's, started after the GTID file arrived) is up. At that line {@code tcmd} is the
 * transport command ({@code ttcmd}, restored after the GTID transfer), prefixed by pv when
 * progress or rlimit is configured (the 1 Gbit/s profiles' rlimit is); the compressor is put
 * in front of it only after the sleep. With the socat transport it connects with
 * {@code TCP:$REMOTEIP:$SST_PORT}, or {@code openssl-connect:$REMOTEIP:$SST_PORT,...} with
 * encrypt 2-4 (the tls4 profile). socat's own {@code retry}/{@code interval}, added to that
 * address, then connect as soon as the listener is there, for at most 200 × 0.05 s = 10 s,
 * the old sleep's bound, with TLS as without. With the nc transport the edit finds neither and the donor would connect once,
 * without waiting: this variant is for the benchmark's socat set-ups only.
 */
final class NoSleepScript {

    static final String METHOD = "mariabackup_nosleep";
    private static final Path STOCK = Path.of("/usr/bin/wsrep_sst_mariabackup");
    /** The stock script sources this from its own directory ({@code $(dirname "$0")}). */
    private static final Path COMMON = Path.of("/usr/bin/wsrep_sst_common");
    private static final String SLEEP = "        sleep 10";
    private static final String SLEEP_CONTEXT = "Sleeping before data transfer for SST";
    private static final String RETRY =
            "        tcmd=$(echo \"$tcmd\" | sed 's/\\(TCP\\|openssl-connect\\):\\([^ ,]*\\)/\\1:\\2,retry=200,interval=0.05/')"
            + "  # sst-bench: was 'sleep 10'";

    private NoSleepScript() {
    }

    /** Writes {@code wsrep_sst_mariabackup_nosleep} and the common file it sources into {@code bin}. */
    static void install(Path bin) throws IOException {
        Files.createDirectories(bin);
        List<String> lines = Files.readAllLines(STOCK);
        List<Integer> sleeps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(SLEEP)) {
                sleeps.add(i);
            }
        }
        if (sleeps.size() != 1 || !lines.get(sleeps.get(0) - 1).contains(SLEEP_CONTEXT)) {
            throw new IllegalStateException(STOCK + " has " + sleeps.size() + " line(s) '" + SLEEP.strip()
                    + "' (expected exactly one, right after \"" + SLEEP_CONTEXT + "\"); this benchmark knows the"
                    + " script of MariaDB 10.11: update " + NoSleepScript.class.getSimpleName() + " for this version,"
                    + " or leave " + METHOD + " out with --methods");
        }
        lines.set(sleeps.get(0), RETRY);
        Path script = bin.resolve("wsrep_sst_" + METHOD);
        Files.write(script, lines);
        script.toFile().setExecutable(true);
        Files.copy(COMMON, bin.resolve(COMMON.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
}
