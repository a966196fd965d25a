package org.sstorchestrator.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The README's first command: a local 2-node cluster on 127.0.0.1, 100 MB of data on node
 * 1, node 2 joined with mariabackup_sm, checksums compared, and both nodes' history shown.
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path appBin = Path.of(System.getProperty("app.home", "."), "bin").toAbsolutePath().normalize();
        Path home = Files.createTempDirectory("sst-demo-");
        try (LocalCluster cluster = new LocalCluster(home, appBin)) {
            GaleraNode donor = cluster.addNode("mariabackup_sm", false, List.of());
            GaleraNode joiner = cluster.addNode("mariabackup_sm", false, List.of());
            System.out.println("== bootstrapping node 1 in " + home);
            cluster.bootstrap(donor);
            System.out.println("== loading " + megabytes + " MB into sbtest.t on node 1");
            LocalCluster.load(donor, megabytes);
            System.out.println("== joining node 2 with wsrep_sst_method=mariabackup_sm");
            long t0 = System.nanoTime();
            cluster.join(joiner, Duration.ofMinutes(10));
            System.out.printf("== node 2 Synced after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            String a = LocalCluster.checksum(donor, "sbtest.t");
            String b = LocalCluster.checksum(joiner, "sbtest.t");
            System.out.println("== checksum node 1: " + a);
            System.out.println("== checksum node 2: " + b + (a.equals(b) ? "  (equal)" : "  (DIFFERENT)"));
            for (GaleraNode n : cluster.nodes()) {
                System.out.println("== sst-admin history --history-dir " + n.historyDir() + "   (" + n.name() + ")");
                // the real command, as an operator runs it
                new ProcessBuilder(appBin.resolve("sst-admin").toString(), "history", "--history-dir",
                        n.historyDir().toString()).inheritIO().start().waitFor();
            }
            if (!a.equals(b)) {
                System.exit(1);
            }
        }
    }
}
