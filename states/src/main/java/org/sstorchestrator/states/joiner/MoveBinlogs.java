package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstFiles;

/**
 * Moves the binary logs the donor sent (those named in the backup's binlog info file, else
 * every {@code <base>.NNNNNN}) from {@code .sst} to the binlog directory and lists them in
 * the index, as the stock script does. A no-op when binary logging is off.
 */
public final class MoveBinlogs implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        Binlogs b = Binlogs.of(ctx);
        if (b == null) {
            return OK;
        }
        Path sst = ctx.sstDir();
        List<String> names = new ArrayList<>();
        Path info = SstFiles.firstExisting(sst, SstFiles.BINLOG_INFO).orElse(null);
        if (info != null) {
            for (String line : Files.readAllLines(info)) {
                String file = line.split("\t")[0].strip();
                if (!file.isEmpty() && !file.contains("/") && Files.isRegularFile(sst.resolve(file))) {
                    names.add(file);
                }
            }
        } else {
            try (Stream<Path> files = Files.list(sst)) {
                files.map(p -> p.getFileName().toString()).filter(b::isBinlog).sorted().forEach(names::add);
            }
        }
        Files.createDirectories(b.dir());
        Files.createDirectories(b.index().getParent());
        for (String name : names) {
            Files.move(sst.resolve(name), b.dir().resolve(name), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(b.index(), b.dir().resolve(name) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        ctx.recorder.attribute("binlogs_moved", Integer.toString(names.size()));
        return OK;
    }
}
