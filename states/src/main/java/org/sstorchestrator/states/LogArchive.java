package org.sstorchestrator.states;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Like the stock script: before a run, move the previous mariadb-backup logs aside, gzipped. */
public final class LogArchive {

    private static final Logger LOG = LoggerFactory.getLogger(LogArchive.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy.MM.dd-HH.mm.ss.SSS")
            .withZone(ZoneOffset.UTC);

    private LogArchive() {
    }

    public static void archive(SstContext ctx, Path... logs) {
        if (!ctx.config.logArchive()) {
            return;
        }
        String stamp = STAMP.format(java.time.Instant.ofEpochMilli(ctx.clock.getAsLong()));
        Path dir = ctx.config.logArchiveDir();
        for (Path log : logs) {
            if (!Files.exists(log)) {
                continue;
            }
            try {
                Files.createDirectories(dir);
                Path target = dir.resolve(log.getFileName() + "." + stamp + ".gz");
                try (InputStream in = Files.newInputStream(log);
                     OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
                    in.transferTo(out);
                }
                Files.delete(log);
                LOG.info("Moved '{}' to '{}'", log, target);
            } catch (IOException e) {
                LOG.warn("Failed to archive log file '{}': {}", log, e.getMessage());
            }
        }
    }
}
