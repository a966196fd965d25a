package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.layout.FileTree;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;

/**
 * The destructive step, recorded as started before its first delete: remove the old binary
 * logs and index ({@link OldBinlogs}), then everything directly in the datadir and in the
 * InnoDB data, undo, redo and Aria directories ({@link org.sstorchestrator.states.layout.DataDirs},
 * wherever they were configured) except what [sst] cpat keeps, as the stock script's
 * {@code find ... -mindepth 1 -prune -regex <cpat> -o -exec rm -rf}. It runs only after the
 * new data is prepared, so a failure before here leaves the old data whole in all of those
 * directories, unless {@link PlanSpace} found no room for both and {@link WipeEarly} already
 * ran it. Safe to run again.
 *
 * <p>Beyond the stock script: grastate.dat is marked unsafe to bootstrap from before the first
 * delete ({@link SstFiles#markUnsafeToBootstrap}), so a run that fails or is killed from here
 * on leaves a node that says so (issue 22); {@code .sst}, the lock, {@code sst_in_progress} and
 * the live status beside it (with the temporary file it is rewritten through every second) are
 * always kept, whatever cpat says; so are the directories being wiped themselves and any entry
 * that holds one of them (an InnoDB directory configured as the datadir's parent would otherwise
 * take the datadir with it).
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
        SstFiles.markUnsafeToBootstrap(ctx.datadir);
        OldBinlogs.remove(ctx);
        StockLine.CLEANING_DATADIR.log();
        List<Path> victims = victims(ctx);
        for (Path p : victims) {
            FileTree.delete(p);
        }
        ctx.recorder.attribute("wiped_entries", Integer.toString(victims.size()));
        LOG.info("Removed {} entries from {}", victims.size(), ctx.dirs.wipeRoots());
    }

    /**
     * The bytes the wipe would free on the datadir's filesystem, for {@link PlanSpace}: the new
     * data arrives there, so old data in an InnoDB directory on another filesystem frees nothing.
     */
    static long reclaimable(SstContext ctx) throws IOException {
        FileStore store = Files.getFileStore(ctx.datadir);
        long n = 0;
        for (Path p : victims(ctx)) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && sameStore(p, store)) {
                n += Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? FileTree.size(p) : Files.size(p);
            }
        }
        return n;
    }

    private static boolean sameStore(Path p, FileStore store) {
        try {
            return Files.getFileStore(p).equals(store);
        } catch (IOException e) {
            return false;
        }
    }

    /** Every entry directly in the datadir and the InnoDB/undo/redo/Aria directories that the wipe removes. */
    static List<Path> victims(SstContext ctx) throws IOException {
        List<Path> roots = ctx.dirs.wipeRoots();
        List<Path> out = new ArrayList<>();
        for (Path dir : roots) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> children = Files.list(dir)) {
                children.filter(p -> !keep(ctx, p, roots)).filter(p -> !out.contains(p)).forEach(out::add);
            }
        }
        return out;
    }

    private static boolean keep(SstContext ctx, Path p, List<Path> roots) {
        String name = p.getFileName().toString();
        if (p.equals(ctx.sstDir()) || name.equals(SstLock.FILE) || name.equals(SstFiles.IN_PROGRESS)
                || SstFiles.isLiveStatus(name)) {
            return true;
        }
        for (Path root : roots) {
            if (root.startsWith(p)) {
                return true; // one of the directories being wiped, or what holds one
            }
        }
        return ctx.config.keepPattern().matcher(p.toString()).matches();
    }
}
