package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The moment Galera makes a benchmark's joiner Synced, to the millisecond: the joiner's
 * {@code wsrep_notify_cmd} is a script written here, which appends the time (ns since the
 * epoch) to the file {@link #ENV} names whenever mariadbd tells it {@code --status synced}
 * (MariaDB 10.4+ passes wsrep-lib's lower-case state names, as its own wsrep_notify script
 * expects; the case is not relied on).
 * Polling the status with a client every 200 ms, as {@link GaleraNode#awaitSynced} does,
 * quantized every round's time to 0.2 s (rounds of 2.94, 2.95, 3.14, 3.15 s), coarser than
 * the differences the benchmark is read for (TLS against plain: 0.2-0.6 s).
 */
public final class SyncedNotice {

    /** The environment variable naming the file the script appends to. */
    public static final String ENV = "SST_BENCH_SYNCED_AT";

    private SyncedNotice() {
    }

    /** Writes the script into {@code dir} (once) and returns it. */
    public static Path script(Path dir) throws IOException {
        Path script = dir.resolve("wsrep-notify-synced");
        if (!Files.exists(script)) {
            Files.createDirectories(dir);
            Files.write(script, List.of(
                    "#!/bin/sh",
                    "# wsrep_notify_cmd of sst-bench's joiners (SyncedNotice): the time mariadbd says --status synced",
                    "prev=",
                    "for a in \"$@\"; do",
                    "    if [ \"$prev\" = --status ]; then",
                    "        case \"$a\" in [Ss][Yy][Nn][Cc][Ee][Dd]) date +%s%N >> \"$" + ENV + "\" ;; esac",
                    "    fi",
                    "    prev=$a",
                    "done",
                    "exit 0"), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return script;
    }

    /** The [mysqld] line that makes {@code script} the node's notify command. */
    public static List<String> mysqldLines(Path script) {
        return List.of("wsrep_notify_cmd=" + script);
    }

    /** mariadbd's environment for it (its notify command inherits it): where the times go. */
    public static Map<String, String> env(Path file) {
        return Map.of(ENV, file.toString());
    }

    /** The first Synced the script wrote, in epoch milliseconds; empty if none (yet). */
    public static OptionalLong firstMillis(Path file) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.matches("\\d{10,20}")) {
                    return OptionalLong.of(Long.parseLong(line) / 1_000_000L);
                }
            }
        } catch (IOException absent) {
            // not written (yet)
        }
        return OptionalLong.empty();
    }

    /** {@link #firstMillis}, waiting up to {@code waitMs} for mariadbd's notify command to have run. */
    public static OptionalLong awaitFirstMillis(Path file, long waitMs) throws InterruptedException {
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        OptionalLong t = firstMillis(file);
        while (t.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            t = firstMillis(file);
        }
        return t;
    }
}
