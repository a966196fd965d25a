package org.sstorchestrator.states.donor;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What the backup will roughly stream: the datadir's files less those mariadb-backup does not
 * copy (the Galera cache, logs, state files). Good enough for a progress bar and an ETA.
 */
final class Footprint {

    private Footprint() {
    }

    /** With mariadb-backup's own compression (qpress) about half, as the stock script reckons. */
    static long estimate(Path datadir, boolean compressed) {
        long all = estimate(datadir);
        return compressed ? all / 2 : all;
    }

    static long estimate(Path datadir) {
        long[] sum = {0};
        try {
            Files.walkFileTree(datadir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getFileName() != null && dir.getFileName().toString().startsWith(".") && !dir.equals(datadir)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String n = file.getFileName().toString();
                    if (!n.equals("galera.cache") && !n.endsWith(".log") && !n.endsWith(".err") && !n.endsWith(".pid")
                            && !n.startsWith("gvwstate") && !n.startsWith("grastate")) {
                        sum[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return 0;
        }
        return sum[0];
    }
}
