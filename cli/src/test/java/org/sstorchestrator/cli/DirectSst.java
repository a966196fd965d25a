package org.sstorchestrator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;

/**
 * Our joiner and donor run as mysqld runs them (argv, environment, stdout), without a joining
 * mysqld: the joiner writes into a scratch datadir, the donor backs up a running node. For
 * what mysqld 10.11 never asks for (--progress 1) and for failing one stage at a time.
 */
final class DirectSst {

    /** Short, so that a side whose peer failed or died gives up in seconds, as a real one does in minutes. */
    static final List<String> SHORT_TIMEOUTS =
            List.of("sst-initial-timeout=5", "sst-idle-timeout=5", "sst-connect-timeout=3");
    /** How long any one side may take, even on a slow machine. */
    static final Duration BOUND = Duration.ofSeconds(90);

    /** One side: its process, stdout, stderr and history directory. */
    record Side(Process process, Path stdout, Path stderr, Path history) {
        List<String> lines() throws IOException {
            return Files.readAllLines(stdout);
        }

        /** stderr, for assertion messages. */
        String err() {
            try {
                return Files.readString(stderr);
            } catch (IOException e) {
                return "(no stderr: " + e.getMessage() + ")";
            }
        }

        /** The exit code, once the process has ended within the bound (else an AssertionError). */
        int exit(Duration bound) throws Exception {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(stdout.getFileName() + ": still running after " + bound + "\n" + err());
            }
            return process.exitValue();
        }
    }

    private DirectSst() {
    }

    /** Starts a joiner on a free port with {@code [sst]} lines of its own; its datadir is {@code dir/data}. */
    static Side joiner(Path dir, List<String> sstLines, Map<String, String> env, String... extraArgs) throws IOException {
        return joinerOn(dir, dir.resolve("data"), sstLines, env, extraArgs);
    }

    /** As {@link #joiner}, with the datadir somewhere else (a small filesystem of its own, say). */
    static Side joinerOn(Path dir, Path datadir, List<String> sstLines, Map<String, String> env, String... extraArgs)
            throws IOException {
        return joinerAt(dir, datadir, "127.0.0.1", sstLines, env, extraArgs);
    }

    /**
     * As {@link #joinerOn}, advertising {@code host} (an address that is not this host's plays
     * one behind a NAT: the donor is then told the address it really reaches). {@code sstLines}
     * follow the joiner's [sst] group and may open other groups.
     */
    static Side joinerAt(Path dir, Path datadir, String host, List<String> sstLines, Map<String, String> env,
                         String... extraArgs) throws IOException {
        Path data = Files.createDirectories(datadir);
        Path cnf = dir.resolve("joiner.cnf");
        List<String> lines = new ArrayList<>(List.of("[sst]", "history-dir=" + dir.resolve("joiner-history")));
        lines.addAll(sstLines);
        Files.write(cnf, lines);
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args = new ArrayList<>(List.of("--role", "joiner", "--address", host + ":" + port, "--datadir",
                data.toString(), "--defaults-file", cnf.toString(), "--parent",
                Long.toString(ProcessHandle.current().pid())));
        args.addAll(List.of(extraArgs));
        return start(dir, "joiner", env, dir.resolve("joiner-history"), args);
    }

    /**
     * Makes the new data fit only once the old is wiped: fills the joiner's old datadir with
     * 256 MB and returns an {@code [sst]} line that leaves 20 MB usable on its filesystem (the
     * stream of a small donor is some 50 MB). With {@code oldData} false, nothing fits at all.
     */
    static List<String> roomOnlyAfterTheWipe(Path dir, boolean oldData) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        if (oldData) {
            try (java.io.OutputStream out = Files.newOutputStream(data.resolve("ibdata1"))) {
                byte[] mb = new byte[1 << 20];
                java.util.Arrays.fill(mb, (byte) 7); // real blocks, not a sparse file
                for (int i = 0; i < 256; i++) {
                    out.write(mb);
                }
            }
        }
        long usable = Files.getFileStore(data).getUsableSpace();
        return List.of("sst-space-reserve=" + (usable - (20L << 20)));
    }

    /** The joiner's ready address, or empty when it ended without printing one. */
    static Optional<String> ready(Side joiner) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(joiner.stdout());
            if (out.contains("\n")) {
                String first = out.lines().findFirst().orElse("");
                if (!first.startsWith("ready ")) {
                    throw new AssertionError("the joiner's first line is not ready: " + out);
                }
                return Optional.of(first.substring("ready ".length()));
            }
            if (!joiner.process().isAlive()) {
                return Optional.empty();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no ready line within 30 s:\n" + joiner.err());
    }

    /**
     * Starts a donor that backs up {@code node}: the node's own option file with the history
     * moved to {@code dir/donor-history} and {@code sstLines} appended to its [sst] group.
     */
    static Side donor(Path dir, GaleraNode node, String address, List<String> sstLines, Map<String, String> env,
                      String... extraArgs) throws Exception {
        Path history = dir.resolve("donor-history");
        List<String> cnf = new ArrayList<>();
        for (String l : Files.readAllLines(node.cnf())) {
            cnf.add(l.startsWith("history-dir=") ? "history-dir=" + history : l);
        }
        if (!cnf.contains("[sst]")) {
            cnf.add("[sst]");
        }
        cnf.addAll(sstLines); // the node's option file ends with its [sst] group
        Path donorCnf = dir.resolve("donor.cnf");
        Files.write(donorCnf, cnf);
        Map<String, String> all = new HashMap<>(env);
        all.put("WSREP_SST_OPT_AUTH", LocalCluster.SST_USER + ":" + LocalCluster.SST_PASSWORD);
        List<String> args = new ArrayList<>(List.of("--role", "donor", "--address", address, "--local-port",
                Integer.toString(node.ports().sql()), "--socket", node.socket().toString(), "--datadir",
                node.datadir().toString(), "--defaults-file", donorCnf.toString(), "--gtid", gtid(node),
                "--gtid-domain-id", "0"));
        args.addAll(List.of(extraArgs));
        return start(dir, "donor", all, history, args);
    }

    /** What mysqld would pass as --gtid: the node's state uuid and last committed seqno. */
    static String gtid(GaleraNode node) throws Exception {
        return status(node, "WSREP_LOCAL_STATE_UUID") + ":" + status(node, "WSREP_LAST_COMMITTED");
    }

    private static String status(GaleraNode node, String name) throws Exception {
        return node.sql("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '" + name + "'");
    }

    private static Side start(Path dir, String role, Map<String, String> env, Path history, List<String> args)
            throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("PATH", System.getenv("PATH"));
        Path out = dir.resolve(role + ".out");
        Path err = dir.resolve(role + ".err");
        Files.writeString(out, "");
        return new Side(SstLauncher.start(all, out, err, args.toArray(String[]::new)), out, err, history);
    }
}
