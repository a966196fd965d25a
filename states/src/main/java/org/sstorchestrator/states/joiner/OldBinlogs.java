package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.sstorchestrator.states.layout.BinlogNames;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;

/**
 * The joiner's own old binary logs, removed at the start of the wipe as the stock script
 * removes them (docs/compatibility.md#the-joiners-layout): every file its index lists (relative to the datadir) and
 * the index, {@code <base>.state}, and every {@code <base>.<digits>} in the binary log's
 * directory, or in the datadir while that directory does not exist yet (a fresh joiner whose
 * binary logs live elsewhere: the stock script then globs in the datadir; we used to fail
 * here). Beyond stock, {@code <base>.state} goes from the binary log's directory too, where
 * mysqld writes it.
 */
final class OldBinlogs {

    private OldBinlogs() {
    }

    static void remove(SstContext ctx) throws IOException {
        BinlogNames.Files b = ctx.binlog.files(ctx.datadir).orElse(null);
        if (b == null) {
            return;
        }
        StockLine.CLEANING_OLD_BINLOGS.log();
        deleteFile(ctx.datadir.resolve(b.base() + ".state"));
        deleteFile(b.dir().resolve(b.base() + ".state"));
        if (Files.isRegularFile(b.index(), LinkOption.NOFOLLOW_LINKS)) {
            for (String line : Files.readAllLines(b.index())) {
                if (!line.isBlank()) {
                    deleteFile(ctx.datadir.resolve(line.strip()).normalize());
                }
            }
            Files.delete(b.index());
        }
        Path where = ctx.datadir;
        if (Files.isDirectory(b.dir()) && !b.dir().equals(ctx.datadir)) {
            StockLine.CLEANING_BINLOG_DIRECTORY.log(b.dir());
            where = b.dir();
        }
        try (Stream<Path> files = Files.list(where)) {
            for (Path p : files.filter(f -> b.isBinlog(f.getFileName().toString())).toList()) {
                deleteFile(p);
            }
        }
    }

    /** {@code rm -f}: a file or a link (never followed); a directory of that name is left alone. */
    private static void deleteFile(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
        }
    }
}
