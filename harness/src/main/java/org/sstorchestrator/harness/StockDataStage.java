package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stock script's data stage, told from its log lines (it keeps no history). It starts when
 * both ends are ready: the later of the donor's "Streaming the backup to joiner at HOST:PORT",
 * logged right before it starts mariadb-backup into the connect, and the joiner's "Evaluating
 * socat -u TCP-LISTEN:PORT..." of its second listener (the backup's; the no-sleep variant's
 * donor is ready first and retries its connect until then). It ends at the joiner's
 * "Preparing the backup at", logged once its receiving pipeline has ended. The joiner's log
 * alone has no reliable start: its "Waiting for SST streaming to complete!" comes before the
 * donor's 10 s sleep. Under TLS the listener is socat's {@code openssl-listen:PORT,...}
 * instead. Every line carries the script's own millisecond timestamp, taken by
 * date(1) on this one machine. This brackets about what our joiner's backup transfer does
 * (accept to end of stream), plus the stock joiner's 0.1 s polling of its receiver.
 */
final class StockDataStage {

    /** wsrep_log's "(%Y%m%d %H:%M:%S.%3N)" suffix. */
    private static final Pattern STAMP = Pattern.compile("\\((\\d{8} \\d{2}:\\d{2}:\\d{2}\\.\\d{3})\\)\\s*$");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss.SSS");

    private StockDataStage() {
    }

    /** Seconds of the data stage of the join of {@code joiner}, or empty if a line is missing. */
    static Optional<Double> seconds(GaleraNode donor, GaleraNode joiner) throws IOException {
        int port = joiner.ports().sst();
        Optional<Long> donorReady = lastLine(donor.errorLog(), "Streaming the backup to joiner at ", ":" + port + " (")
                .flatMap(StockDataStage::stamp);
        // the joiner's first listener (the GTID file's) logs the same line earlier: the last one is the backup's
        Optional<Long> joinerReady = lastLine(joiner.errorLog(), "Evaluating ", "TCP-LISTEN:" + port + ",",
                "openssl-listen:" + port + ",").flatMap(StockDataStage::stamp);
        Optional<Long> end = lastLine(joiner.errorLog(), "Preparing the backup at ", "").flatMap(StockDataStage::stamp);
        if (donorReady.isEmpty() || joinerReady.isEmpty() || end.isEmpty()) {
            return Optional.empty();
        }
        long start = Math.max(donorReady.get(), joinerReady.get());
        return end.get() < start ? Optional.empty() : Optional.of((end.get() - start) / 1000.0);
    }

    /** The last INFO line of the stock script in {@code log} with {@code marker} and any of {@code alsoContains}. */
    static Optional<String> lastLine(Path log, String marker, String... alsoContains) throws IOException {
        // the error log is written by mariadbd and its children: read it leniently
        List<String> lines = List.of(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).split("\n"));
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.contains("WSREP_SST: [INFO] " + marker) && Arrays.stream(alsoContains).anyMatch(l::contains)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> stamp(String line) {
        Matcher m = STAMP.matcher(line);
        return m.find() ? Optional.of(LocalDateTime.parse(m.group(1), FORMAT).atZone(ZoneId.systemDefault())
                .toInstant().toEpochMilli()) : Optional.empty();
    }
}
