package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples, every 100 ms, the peak RSS ({@code VmHWM}: the kernel's own high-water mark, so a
 * peak between samples still counts) of our SST JVMs under the joiner's and the donor's
 * mariadbd, and keeps the largest per role. A JVM is ours if its command line names
 * {@code WsrepSstMain}; its role is the node it runs under, which is also what its
 * {@code --role} says, and looking only under our two nodes keeps other clusters on the
 * machine out of the figures.
 */
final class SstMemorySampler extends Thread implements AutoCloseable {

    private static final String OUR_MAIN = "WsrepSstMain";
    private final Map<String, Long> nodes;
    private final Map<String, Long> peakKb = new ConcurrentHashMap<>();

    private SstMemorySampler(Map<String, Long> nodes) {
        super("sst-memory-sampler");
        this.nodes = Map.copyOf(nodes);
        setDaemon(true);
    }

    /** Starts sampling under {@code nodes}: role → that node's mariadbd pid. */
    static SstMemorySampler watch(Map<String, Long> nodes) {
        SstMemorySampler sampler = new SstMemorySampler(nodes);
        sampler.start();
        return sampler;
    }

    /** The peak RSS in kB of our JVM in {@code role}, or 0 if none was seen. */
    long peakKb(String role) {
        return peakKb.getOrDefault(role, 0L);
    }

    @Override
    public void run() {
        while (!isInterrupted()) {
            nodes.forEach((role, pid) -> ProcessHandle.of(pid).ifPresent(node -> node.descendants()
                    .forEach(p -> sample(role, p.pid()))));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(String role, long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            if (!new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).contains(OUR_MAIN)) {
                return;
            }
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    peakKb.merge(role, kb, Math::max);
                }
            }
        } catch (IOException gone) {
            // the process ended between the listing and the read: its last sample stands
        }
    }

    @Override
    public void close() throws InterruptedException {
        interrupt();
        join();
    }
}
