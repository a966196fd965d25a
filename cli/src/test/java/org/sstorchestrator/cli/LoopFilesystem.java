package org.sstorchestrator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small real ext4 filesystem on a loop device (docs/jvm-and-libraries.md#test-machines: works here and in CI, both
 * root), with no blocks reserved for root so that "full" means full for the SST too. For the
 * disk-full cases: fill it at an exact moment, give the space back, unmount.
 */
final class LoopFilesystem implements AutoCloseable {

    private final Path image;
    private final Path mount;

    private LoopFilesystem(Path image, Path mount) {
        this.image = image;
        this.mount = mount;
    }

    static boolean available() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"))
                    && Files.isExecutable(Path.of("/usr/sbin/mkfs.ext4")) && Files.isExecutable(Path.of("/usr/bin/mount"));
        } catch (IOException e) {
            return false;
        }
    }

    static LoopFilesystem create(Path dir, String name, int megabytes) throws Exception {
        Path image = dir.resolve(name + ".img");
        Path mount = Files.createDirectories(dir.resolve(name));
        run("truncate", "-s", megabytes + "M", image.toString());
        run("mkfs.ext4", "-q", "-m", "0", image.toString());
        run("mount", "-o", "loop", image.toString(), mount.toString());
        return new LoopFilesystem(image, mount);
    }

    Path root() {
        return mount;
    }

    long free() throws IOException {
        return Files.getFileStore(mount).getUsableSpace();
    }

    /** Takes all but {@code leave} bytes of the free space, with a file of its own. */
    void fillLeaving(long leave) throws Exception {
        long take = free() - leave;
        if (take > 0) {
            run("fallocate", "-l", Long.toString(take), mount.resolve(".filler").toString());
        }
    }

    /** Gives back what {@link #fillLeaving} took. */
    void giveBack() throws IOException {
        Files.deleteIfExists(mount.resolve(".filler"));
    }

    @Override
    public void close() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            Process p = new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                Files.deleteIfExists(image);
                return;
            }
            Thread.sleep(250); // a process of the test may still hold a file there
        }
        run("umount", "-l", mount.toString());
        Files.deleteIfExists(image);
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        }
    }
}
