package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real mariadbd with the Galera library, on 127.0.0.1 only, with its own datadir,
 * socket, ports and my.cnf. Stopped by its own pid, never by name.
 */
public final class GaleraNode {

    private final String name;
    private final Path home;
    private final Ports ports;
    private final String sstMethod;
    private final Path basedir;
    private final Map<String, String> env;
    private final String host;
    private final List<String> mysqldArgs;
    /** No [sst] history-dir: the history goes where the method puts it by default. */
    private final boolean defaultHistory;
    /** The OS user mariadbd runs as (and so its SST processes): root, or mysql as on an installed node. */
    private final String user;
    private Process process;

    /** Free loopback ports for one node. */
    public record Ports(int sql, int group, int ist, int sst) {
        /**
         * All four are held open together while they are chosen: picked one after another, a port
         * just closed could come back for the next, and a node whose IST port was its group port
         * could not open its IST listener and aborted its join.
         */
        static Ports pick() {
            java.net.ServerSocket[] held = new java.net.ServerSocket[4];
            try {
                for (int i = 0; i < held.length; i++) {
                    held[i] = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                }
                return new Ports(held[0].getLocalPort(), held[1].getLocalPort(), held[2].getLocalPort(),
                        held[3].getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                for (java.net.ServerSocket s : held) {
                    if (s != null) {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // a port we only looked at: nothing to release
                        }
                    }
                }
            }
        }
    }

    GaleraNode(String name, Path home, Ports ports, String sstMethod, Path basedir, Map<String, String> env, String host,
               List<String> mysqldArgs, boolean defaultHistory, String user) {
        this.name = name;
        this.home = home;
        this.ports = ports;
        this.sstMethod = sstMethod;
        this.basedir = basedir;
        this.env = env;
        this.host = host;
        this.mysqldArgs = List.copyOf(mysqldArgs);
        this.defaultHistory = defaultHistory;
        this.user = user;
    }

    /** The loopback address its listeners use, as an address's host part ({@code [::1]} for IPv6). */
    public String hostInAddress() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public Path home() {
        return home;
    }

    public String name() {
        return name;
    }

    public Path datadir() {
        return home.resolve("data");
    }

    public Path cnf() {
        return home.resolve("my.cnf");
    }

    public Path errorLog() {
        return home.resolve("mariadbd.err");
    }

    /** The history directory its my.cnf names; a node of an installed cluster names none. */
    public Path historyDir() {
        if (defaultHistory) {
            throw new IllegalStateException(name + " keeps its history where the method puts it by default"
                    + " (no [sst] history-dir): ask HistoryLocation for its datadir");
        }
        return home.resolve("history");
    }

    public Ports ports() {
        return ports;
    }

    public Path socket() {
        return home.resolve("mysqld.sock");
    }

    void writeConfig(String clusterAddress, String sstAuth, List<String> leading, List<String> extraSst,
                     List<String> extraMysqld) throws IOException {
        Files.createDirectories(datadir());
        String h = hostInAddress();
        List<String> lines = new ArrayList<>(leading);
        lines.addAll(List.of(
                "[mysqld]",
                "user=" + user,
                "datadir=" + datadir(),
                "socket=" + socket(),
                "port=" + ports.sql(),
                "bind-address=" + host,
                "pid-file=" + home.resolve("mysqld.pid"),
                "log-error=" + errorLog(),
                "innodb_buffer_pool_size=128M",
                "innodb_log_file_size=64M",
                "binlog_format=ROW",
                "innodb_autoinc_lock_mode=2",
                "wsrep_on=ON",
                "wsrep_provider=/usr/lib/galera/libgalera_smm.so",
                "wsrep_cluster_name=sst-orchestrator-local",
                "wsrep_cluster_address=" + clusterAddress,
                "wsrep_node_address=" + h + ":" + ports.group(),
                "wsrep_node_name=" + name,
                "wsrep_sst_receive_address=" + h + ":" + ports.sst(),
                "wsrep_provider_options=\"gmcast.listen_addr=tcp://" + h + ":" + ports.group()
                        + ";ist.recv_addr=" + h + ":" + ports.ist() + ";gcache.size=256M\"",
                "wsrep_sst_method=" + sstMethod,
                "wsrep_sst_auth=" + sstAuth));
        lines.addAll(extraMysqld);
        if (basedir != null) {
            lines.add("basedir=" + basedir);
            lines.add("lc-messages-dir=/usr/share/mysql");
            lines.add("plugin-dir=/usr/lib/mysql/plugin");
        }
        lines.add("[client]");
        lines.add("socket=" + socket());
        lines.add("user=root");
        lines.add("[sst]");
        if (!defaultHistory) {
            lines.add("history-dir=" + historyDir());
        }
        lines.addAll(extraSst);
        Files.write(cnf(), lines);
        if (!user.equals("root")) { // its error log, pid file, socket and datadir are that user's
            try (java.util.stream.Stream<Path> all = Files.walk(home)) {
                java.nio.file.attribute.UserPrincipal owner = home.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(user);
                for (Path p : all.toList()) {
                    Files.setOwner(p, owner);
                }
            }
        }
    }

    void installDb() throws IOException, InterruptedException {
        Cmd.run(Duration.ofMinutes(2), home.resolve("install-db.log"), env, "mariadb-install-db",
                "--defaults-file=" + cnf(), "--basedir=/usr", "--user=" + user, "--auth-root-authentication-method=normal",
                "--skip-test-db");
    }

    /** Replaces the environment mariadbd (and so its SST processes) starts with, for the next start. */
    public void environment(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
    }

    public void start(boolean bootstrap) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/usr/sbin/mariadbd", "--defaults-file=" + cnf()));
        argv.addAll(mysqldArgs);
        if (bootstrap) {
            argv.add("--wsrep-new-cluster");
        }
        // stdin from /dev/null, as systemd starts mariadbd: the SST scripts inherit it
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("mariadbd.out").toFile()));
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** Waits until the node reports Synced; fails early if mariadbd exits. */
    public void awaitSynced(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(name + ": mariadbd exited with " + process.exitValue()
                        + "; see " + errorLog());
            }
            try {
                state = sql("SHOW STATUS LIKE 'wsrep_local_state_comment'");
                if (state.endsWith("Synced")) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                state = notYet.getMessage();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not Synced after " + timeout.toSeconds() + " s: " + state);
    }

    /** Waits for mariadbd to exit by itself (a failed SST makes a joiner abort). */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String sql(String statement) throws IOException, InterruptedException {
        return Cmd.output(Duration.ofMinutes(5), env, "mariadb", "--defaults-file=" + cnf(), "-N", "-B", "-e", statement);
    }

    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public void kill() throws InterruptedException {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The running mariadbd's pid: the benchmark reads its SST children's CPU and memory under it. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + ": mariadbd is not started");
        }
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }
}
