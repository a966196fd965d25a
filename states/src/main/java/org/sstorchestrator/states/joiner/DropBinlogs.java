package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.layout.BinlogNames;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;

/**
 * MDEV-38147, as the shipped 10.11 script: the binary logs the donor sent (mariadb-backup
 * ships the donor's current one with {@code --galera-info}) are removed from {@code .sst}
 * before move-back, never installed. Installed, they hold transactions this node never
 * binlogged itself, and under {@code gtid_strict_mode} the next IST fails with error 1950;
 * without them mysqld starts a fresh binary log from the position in the storage engine.
 * Nothing is written to the index. Those named in the backup's binlog info file go (first
 * field of each line, a plain file name that is a regular file in {@code .sst}), else every
 * {@code <base>.<digits>} of the joiner's own base name. A no-op when binary logging is off,
 * as stock. Safe to run again.
 */
public final class DropBinlogs implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(DropBinlogs.class);

    @Override
    public String run(SstContext ctx) throws IOException {
        BinlogNames.Files b = ctx.binlog.files(ctx.datadir).orElse(null);
        if (b == null) {
            return OK;
        }
        List<Path> received = received(ctx.sstDir(), b);
        if (received.isEmpty()) {
            StockLine.NO_BINLOG_RECEIVED.log();
        } else {
            StockLine.BINLOGS_REMOVED.log();
            for (Path p : received) {
                LOG.debug("removing {}", p);
                Files.deleteIfExists(p);
            }
        }
        ctx.recorder.attribute("binlogs_dropped", Integer.toString(received.size()));
        return OK;
    }

    /** The binary logs in {@code sst}: those its binlog info file names, else those of the joiner's base name. */
    static List<Path> received(Path sst, BinlogNames.Files b) throws IOException {
        List<Path> out = new ArrayList<>();
        Path info = SstFiles.firstExisting(sst, SstFiles.BINLOG_INFO).orElse(null);
        if (info != null) {
            for (String line : Files.readAllLines(info, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                String name = line.split("\t", 2)[0].strip();
                // a name from the other node: a plain file name in .sst, nothing that climbs out of it
                if (!name.isEmpty() && !name.contains("/") && !name.equals("..") && !name.equals(".")
                        && Files.isRegularFile(sst.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    out.add(sst.resolve(name));
                }
            }
            return out;
        }
        try (Stream<Path> files = Files.list(sst)) {
            files.filter(p -> b.isBinlog(p.getFileName().toString()))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(out::add);
        }
        return out;
    }
}
