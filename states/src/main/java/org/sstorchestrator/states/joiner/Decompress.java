package org.sstorchestrator.states.joiner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.stock.StockLine;

/**
 * Expands the files a donor compressed with mariadb-backup's own {@code --compress} (its
 * {@code compress} option: QuickLZ, {@code *.qp}), as the stock joiner does: one
 * {@code qpress -dT<cpus> <file> <its directory>} per file, then the {@code *.qp} files are
 * removed. A no-op when none arrived. It runs after the stream and before prepare and the wipe,
 * so a missing qpress (it is not packaged for Debian 12) or a failing one ends the run (22, as
 * stock) with the old datadir whole. Unlike the stock script, which looks for {@code *.qp} in
 * the top directory only before searching all depths, any depth counts here, and nothing is
 * deleted until every file was expanded, so a rerun after a crash starts the step over.
 */
public final class Decompress implements Stage<SstContext> {

    @Override
    public String run(SstContext ctx) throws IOException {
        Path sst = ctx.sstDir();
        List<Path> qp;
        try (Stream<Path> files = Files.walk(sst)) {
            qp = files.filter(p -> p.getFileName().toString().endsWith(".qp")
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        if (qp.isEmpty()) {
            return OK;
        }
        StockLine.QPRESS_FOUND.logWith(" (" + qp.size() + ")");
        Path qpress = ctx.tools.find("qpress").orElseThrow(() -> StockLine.QPRESS_MISSING.failure(ExitCode.EINVAL,
                ": the donor sent " + qp.size() + " qpress-compressed files (its"
                        + " 'compress' option, mariadb-backup --compress); install qpress on this node (Debian 12 does not"
                        + " package it), or remove 'compress' from the donor's [sst]/[mariabackup] options; the old"
                        + " datadir is untouched"));
        int threads = Runtime.getRuntime().availableProcessors();
        StockLine.DECOMPRESSION_THREADS.log(threads);
        Path log = ctx.datadir.resolve(SstFiles.QPRESS_LOG);
        for (Path file : qp) {
            String name = file.getFileName().toString();
            Files.deleteIfExists(file.resolveSibling(name.substring(0, name.length() - 3))); // a rerun's partial output
            int code = ctx.children.run(Command.of(qpress, List.of("-dT" + threads, file.toString(),
                    file.getParent().toString())).withLog(log).inDirectory(sst));
            if (code != 0) {
                throw StockLine.DECOMPRESSION_FAILED.failure(ExitCode.EINVAL, " (qpress on " + file + "; see " + log + ")",
                        code);
            }
        }
        StockLine.QPRESS_REMOVED.log();
        for (Path file : qp) {
            try {
                Files.delete(file);
            } catch (IOException e) {
                // as stock: reported, not fatal (prepare ignores a stray .qp)
                StockLine.QPRESS_NOT_REMOVED.logWith(": " + e);
            }
        }
        ctx.recorder.note("qpress", qp.size() + " files expanded with " + qpress);
        return OK;
    }
}
