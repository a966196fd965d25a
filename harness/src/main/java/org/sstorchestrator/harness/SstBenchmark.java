package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SST benchmark (not a test): one donor holding N MB, then joiners with empty datadirs
 * that alternate between the stock method and ours, against the same donor in the same run,
 * so machine noise hits both alike. Reports joiner start → Synced for each, the medians,
 * their ratio, and the peak RSS of our SST processes.
 */
public final class SstBenchmark {

    private SstBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path appBin = Path.of(System.getProperty("app.home", "."), "bin").toAbsolutePath().normalize();
        Path home = Files.createTempDirectory("sst-bench-");
        Map<String, List<Double>> seconds = new TreeMap<>();
        long peakRssKb = 0;
        try (LocalCluster cluster = new LocalCluster(home, appBin)) {
            GaleraNode donor = cluster.addNode("mariabackup_sm", false, List.of());
            cluster.bootstrap(donor);
            LocalCluster.load(donor, megabytes);
            long size = Files.size(donor.datadir().resolve("sbtest/t.ibd")) / (1024 * 1024);
            System.out.printf("donor's sbtest/t.ibd is %d MB (requested %d MB of rows); %d rounds%n", size, megabytes, rounds);
            for (int r = 1; r <= rounds; r++) {
                for (String method : List.of("mariabackup", "mariabackup_sm")) {
                    GaleraNode joiner = cluster.addNode(method, false, List.of());
                    RssSampler rss = new RssSampler();
                    rss.start();
                    long t0 = System.nanoTime();
                    cluster.join(joiner, Duration.ofMinutes(10));
                    double s = (System.nanoTime() - t0) / 1e9;
                    rss.interrupt();
                    rss.join();
                    if (method.equals("mariabackup_sm")) {
                        peakRssKb = Math.max(peakRssKb, rss.peakKb);
                    }
                    String a = LocalCluster.checksum(donor, "sbtest.t");
                    String b = LocalCluster.checksum(joiner, "sbtest.t");
                    System.out.printf("round %d  %-15s  %6.1f s  checksum %s%n", r, method, s, a.equals(b) ? "equal" : "DIFFERENT");
                    if (!a.equals(b)) {
                        throw new IllegalStateException("checksums differ after " + method);
                    }
                    seconds.computeIfAbsent(method, k -> new ArrayList<>()).add(s);
                    cluster.discard(joiner);
                }
            }
        } finally {
            Trees.delete(home); // the donor's datadir: nothing in it is needed now
        }
        double stock = median(seconds.get("mariabackup"));
        double ours = median(seconds.get("mariabackup_sm"));
        System.out.printf("%nmedian joiner start -> Synced: stock %.1f s, mariabackup_sm %.1f s, ratio %.2f%n",
                stock, ours, ours / stock);
        System.out.printf("peak RSS of our SST JVMs (joiner + donor): %d MB%n", peakRssKb / 1024);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Samples /proc for our SST JVMs (WsrepSstMain on their command line) and keeps the peak RSS sum. */
    static final class RssSampler extends Thread {
        volatile long peakKb;

        RssSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                long sum = 0;
                try (var procs = Files.list(Path.of("/proc"))) {
                    for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                        try {
                            String cmd = new String(Files.readAllBytes(p.resolve("cmdline")));
                            if (cmd.contains("WsrepSstMain")) {
                                sum += Files.readAllLines(p.resolve("status")).stream()
                                        .filter(l -> l.startsWith("VmRSS:"))
                                        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).sum();
                            }
                        } catch (IOException gone) {
                            // the process ended between list and read
                        }
                    }
                } catch (IOException e) {
                    return;
                }
                peakKb = Math.max(peakKb, sum);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
