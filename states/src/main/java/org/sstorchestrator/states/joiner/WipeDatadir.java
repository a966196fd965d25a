package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.SstContext;
import org.sstorchestrator.states.SstFiles;
import org.sstorchestrator.states.SstLock;

/**
 * The destructive step, recorded as started before its first delete: remove the old binary
 * logs and index, then everything in the datadir and in the InnoDB/undo/redo/Aria
 * directories except what [sst] cpat keeps. It runs only after the new data is prepared,
 * so a failure before here leaves the old datadir whole, unless {@link PlanSpace} found no
 * room for both and {@link WipeEarly} already ran it. Safe to run again.
 */
public final class WipeDatadir implements Stage<SstContext> {

    private static final Logger LOG = LoggerFactory.getLogger(WipeDatadir.class);

    @Override
    public String run(SstContext ctx) throws IOException {
        wipe(ctx);
        return OK;
    }

    /** The wipe itself, shared with {@link WipeEarly}, which takes it before the stream. */
    static void wipe(SstContext ctx) throws IOException {
        ctx.facts().put(new WipeBegan());
        removeOldBinlogs(ctx);
        List<Path> victims = victims(ctx);
        for (Path p : victims) {
            org.sstorchestrator.states.FileTree.delete(p);
        }
        ctx.recorder.attribute("wiped_entries", Integer.toString(victims.size()));
        LOG.info("Cleaned the existing datadir and innodb-data/log directories ({} entries)", victims.size());
    }

    /** The bytes the wipe would free, for {@link PlanSpace}. */
    static long reclaimable(SstContext ctx) throws IOException {
        long n = 0;
        for (Path p : victims(ctx)) {
            n += org.sstorchestrator.states.FileTree.size(p);
        }
        return n;
    }

    /** Everything in the datadir and the InnoDB/undo/redo/Aria directories that cpat does not keep. */
    private static List<Path> victims(SstContext ctx) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(ctx.datadir);
        for (String opt : List.of("innodb-data-home-dir", "innodb-undo-directory", "innodb-log-group-home-dir",
                "aria-log-dir-path")) {
            ctx.args.serverOption(opt).map(d -> ctx.datadir.resolve(d).normalize()).filter(Files::isDirectory)
                    .ifPresent(dirs::add);
        }
        List<Path> out = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(p -> !keep(ctx, p)).forEach(out::add);
            }
        }
        return out;
    }

    private static boolean keep(SstContext ctx, Path p) {
        String name = p.getFileName().toString();
        if (p.equals(ctx.sstDir()) || name.equals(SstLock.FILE) || name.equals(SstFiles.IN_PROGRESS)) {
            return true;
        }
        return ctx.config.keepPattern().matcher(p.toString()).matches();
    }

    /** Deletes the binlogs named in the old index, the index, and {@code <base>.[0-9]*}. */
    private static void removeOldBinlogs(SstContext ctx) throws IOException {
        Binlogs b = Binlogs.of(ctx);
        if (b == null) {
            return;
        }
        Files.deleteIfExists(b.dir().resolve(b.base() + ".state"));
        if (Files.exists(b.index())) {
            List<String> listed = new ArrayList<>(Files.readAllLines(b.index()));
            for (String line : listed) {
                if (!line.isBlank()) {
                    Files.deleteIfExists(ctx.datadir.resolve(line.strip()));
                }
            }
            Files.delete(b.index());
        }
        try (Stream<Path> files = Files.list(b.dir())) {
            for (Path p : files.filter(f -> b.isBinlog(f.getFileName().toString())).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
