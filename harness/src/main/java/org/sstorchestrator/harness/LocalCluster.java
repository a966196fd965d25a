package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real 2-node (or more) MariaDB Galera cluster on 127.0.0.1, for the demo, the
 * integration tests and the benchmark. Node 1 is bootstrapped; later nodes join with the
 * SST method they are configured with.
 */
public final class LocalCluster implements AutoCloseable {

    /** The SST user; the password has ':' '@' '$' '!' to prove they pass end to end. */
    public static final String SST_USER = "sst";
    public static final String SST_PASSWORD = "S3cr:t@$!x";

    private final Path home;
    private final Path appBin;
    private final List<Path> extraPath;
    private final String host;
    private final List<GaleraNode> nodes = new ArrayList<>();
    private int created;

    public LocalCluster(Path home, Path appBin) {
        this(home, appBin, List.of());
    }

    /**
     * {@code extraPath}: more directories on every node's PATH, after our bin/. A method the
     * joiner asks for runs on the donor too, so a method only this cluster has (the benchmark's
     * stock script without its sleep) must be on the donor's PATH from the donor's start.
     */
    public LocalCluster(Path home, Path appBin, List<Path> extraPath) {
        this(home, appBin, extraPath, "127.0.0.1");
    }

    /** {@code host}: the loopback address every listener uses, {@code 127.0.0.1} or {@code ::1}. */
    public LocalCluster(Path home, Path appBin, String host) {
        this(home, appBin, List.of(), host);
    }

    public LocalCluster(Path home, Path appBin, List<Path> extraPath, String host) {
        this.home = home;
        this.appBin = appBin;
        this.extraPath = List.copyOf(extraPath);
        this.host = host;
    }

    /**
     * A cluster that runs the SST method installed on this machine (the Debian package), set up
     * as an operator sets up a node: mysqld runs as the mysql user and finds the method on the
     * system PATH alone, and each node keeps its history where the method puts it by default (no
     * {@code [sst] history-dir}), so nothing of a checkout is in the nodes' environment or my.cnf.
     * {@code home} and the directories above it must let the mysql user through.
     */
    public static LocalCluster installed(Path home) {
        return new LocalCluster(home, null, List.of(), "127.0.0.1");
    }

    /**
     * What a node is made of beyond its ports and directories: its SST method; whether ours is
     * installed as {@code wsrep_sst_mariabackup} in its own basedir; option lines put first in
     * its my.cnf (before the harness's [mysqld] group: a {@code log_basename} must come before
     * the pid and error log it names), after its [mysqld] lines, and after its [sst] group;
     * extra environment; stand-ins for tools; extra arguments to mariadbd.
     */
    public record Spec(String sstMethod, boolean oursAsStock, List<String> leadingCnf, List<String> extraMysqld,
                       List<String> extraSst, Map<String, String> env, Map<String, String> standIns,
                       List<String> mysqldArgs) {

        public static Spec of(String sstMethod, boolean oursAsStock) {
            return new Spec(sstMethod, oursAsStock, List.of(), List.of(), List.of(), Map.of(), Map.of(), List.of());
        }

        public Spec leading(List<String> lines) {
            return new Spec(sstMethod, oursAsStock, lines, extraMysqld, extraSst, env, standIns, mysqldArgs);
        }

        public Spec mysqld(List<String> lines) {
            return new Spec(sstMethod, oursAsStock, leadingCnf, lines, extraSst, env, standIns, mysqldArgs);
        }

        public Spec sst(List<String> lines) {
            return new Spec(sstMethod, oursAsStock, leadingCnf, extraMysqld, lines, env, standIns, mysqldArgs);
        }

        public Spec arguments(List<String> args) {
            return new Spec(sstMethod, oursAsStock, leadingCnf, extraMysqld, extraSst, env, standIns, args);
        }
    }

    public Path home() {
        return home;
    }

    /** The PATH systemd gives mariadb.service: an installed cluster's nodes get this and nothing else. */
    private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** mysqld finds a new method name anywhere on its PATH: put our bin/ first (none when installed). */
    private Map<String, String> nodeEnv() {
        Map<String, String> env = new HashMap<>();
        if (appBin == null) {
            env.put("PATH", SYSTEM_PATH);
            return env;
        }
        StringBuilder path = new StringBuilder(appBin.toString());
        extraPath.forEach(dir -> path.append(':').append(dir));
        path.append(':').append(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")).append(":/usr/sbin");
        env.put("PATH", path.toString());
        return env;
    }

    /**
     * Adds a node. {@code basedir} non-null installs ours as {@code wsrep_sst_mariabackup}
     * in {@code basedir/bin}, which mysqld then prefers over /usr/bin (docs/wire-protocol.md#a-cluster-on-one-machine).
     */
    public GaleraNode addNode(String sstMethod, boolean oursAsStock, List<String> extraSst)
            throws IOException, InterruptedException {
        return addNode(sstMethod, oursAsStock, extraSst, List.of(), Map.of(), Map.of());
    }

    /**
     * As above, plus extra [mysqld] lines, extra environment for mariadbd (and so for the SST
     * processes it starts, e.g. SST_FAULT), and stand-ins for tools (name → script, e.g.
     * mariadb-backup) installed in the node's own basedir: fakes at the process boundary, to
     * make a child fail or hang. mysqld puts its basedir's bin first on the SST's PATH.
     */
    public GaleraNode addNode(String sstMethod, boolean oursAsStock, List<String> extraSst, List<String> extraMysqld,
                              Map<String, String> extraEnv, Map<String, String> standIns)
            throws IOException, InterruptedException {
        return addNode(new Spec(sstMethod, oursAsStock, List.of(), extraMysqld, extraSst, extraEnv, standIns, List.of()));
    }

    /** The directory the next node added will have: its my.cnf may name directories in it. */
    public Path nextNodeHome() {
        return home.resolve("node" + (created + 1));
    }

    public GaleraNode addNode(Spec spec) throws IOException {
        String sstMethod = spec.sstMethod();
        boolean oursAsStock = spec.oursAsStock();
        Map<String, String> standIns = spec.standIns();
        int n = ++created; // never reuse a node's directory: a reused datadir would get IST, not SST
        Path nodeHome = home.resolve("node" + n);
        Files.createDirectories(nodeHome);
        Path basedir = null;
        if (oursAsStock || !standIns.isEmpty()) {
            basedir = nodeHome.resolve("basedir");
            Files.createDirectories(basedir.resolve("bin"));
        }
        if (oursAsStock && appBin == null) {
            throw new IllegalStateException("an installed cluster has no launcher to copy: install the drop-in package");
        }
        if (oursAsStock) {
            Files.copy(appBin.resolve("wsrep_sst_mariabackup_sm"), basedir.resolve("bin/wsrep_sst_mariabackup"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        for (Map.Entry<String, String> tool : standIns.entrySet()) {
            Path fake = basedir.resolve("bin").resolve(tool.getKey());
            Files.writeString(fake, tool.getValue());
            fake.toFile().setExecutable(true);
        }
        Map<String, String> env = new HashMap<>(nodeEnv());
        env.putAll(spec.env());
        GaleraNode node = new GaleraNode("node" + n, nodeHome, GaleraNode.Ports.pick(), sstMethod, basedir, env, host,
                spec.mysqldArgs(), appBin == null, appBin == null ? "mysql" : "root");
        String address = nodes.isEmpty() ? "gcomm://" : "gcomm://" + node.hostInAddress() + ":" + nodes.get(0).ports().group();
        node.writeConfig(address, SST_USER + ":" + SST_PASSWORD, spec.leadingCnf(), spec.extraSst(), spec.extraMysqld());
        nodes.add(node);
        return node;
    }

    /** Initialises and bootstraps node 1, and creates the SST user. */
    public void bootstrap(GaleraNode first) throws IOException, InterruptedException {
        first.installDb();
        first.start(true);
        first.awaitSynced(Duration.ofMinutes(2));
        first.sql("CREATE USER '" + SST_USER + "'@'localhost' IDENTIFIED BY '" + SST_PASSWORD.replace("'", "''") + "'");
        first.sql("GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO '" + SST_USER + "'@'localhost'");
    }

    /** Starts a node with an empty datadir: it needs a full SST. */
    public void join(GaleraNode node, Duration timeout) throws IOException, InterruptedException {
        node.start(false);
        node.awaitSynced(timeout);
    }

    private static final int ROWS_PER_BATCH = 10_000;

    /** Loads about {@code megabytes} MB of InnoDB rows into sbtest.t, in 10 MB transactions. */
    public static void load(GaleraNode node, int megabytes) throws IOException, InterruptedException {
        createTable(node);
        int batches = Math.max(1, megabytes * 1024 * 1024 / (ROWS_PER_BATCH * 1024));
        for (int b = 0; b < batches; b++) {
            insertBatch(node);
        }
    }

    /**
     * Adds 10 MB transactions of rows to sbtest.t until its file, {@link #tableFile}, holds at
     * least {@code megabytes} MB; rows already there count, so a donor grows between sizes.
     * The file, not the rows, is the measure: it is what an SST moves.
     */
    public static void loadUpTo(GaleraNode node, long megabytes) throws IOException, InterruptedException {
        createTable(node);
        while (Files.size(tableFile(node)) < megabytes * 1024 * 1024) {
            insertBatch(node);
        }
    }

    /**
     * Waits until the node has flushed every dirty page (at most {@code timeout}): right after
     * a load the page cleaner is still writing, and the method that happens to go first would
     * back up a busier donor than the rest (the stock script's 10 s sleep hid exactly that).
     */
    public static void settle(GaleraNode node, Duration timeout) throws IOException, InterruptedException {
        String pct = node.sql("SELECT @@GLOBAL.innodb_max_dirty_pages_pct");
        node.sql("SET GLOBAL innodb_max_dirty_pages_pct = 0");
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (Long.parseLong(node.sql("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                    + " WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'").trim()) > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        } finally {
            node.sql("SET GLOBAL innodb_max_dirty_pages_pct = " + pct.trim());
        }
    }

    /** sbtest.t's tablespace in the node's datadir. */
    public static Path tableFile(GaleraNode node) {
        return node.datadir().resolve("sbtest/t.ibd");
    }

    private static void createTable(GaleraNode node) throws IOException, InterruptedException {
        node.sql("CREATE DATABASE IF NOT EXISTS sbtest");
        node.sql("CREATE TABLE IF NOT EXISTS sbtest.t (id BIGINT AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL,"
                + " pad VARCHAR(1024) NOT NULL) ENGINE=InnoDB");
    }

    /**
     * Rows of about 1 KB whose pad is 496 random bytes in hex: compressible about 2:1, as real
     * tables are, so that a compressed SST is not flattered. One MD5 repeated 31 times, as this
     * was, compressed 34:1 and made the benchmark's zstd profiles meaningless.
     */
    private static void insertBatch(GaleraNode node) throws IOException, InterruptedException {
        node.sql("INSERT INTO sbtest.t (k, pad) SELECT seq, HEX(RANDOM_BYTES(496)) FROM sbtest.seq_1_to_" + ROWS_PER_BATCH);
    }

    public static String checksum(GaleraNode node, String table) throws IOException, InterruptedException {
        return node.sql("CHECKSUM TABLE " + table + " EXTENDED");
    }

    public List<GaleraNode> nodes() {
        return nodes;
    }

    /** Stops a node, forgets it and deletes its directory (the benchmark's joiners). */
    public void discard(GaleraNode node) throws IOException, InterruptedException {
        node.stop();
        nodes.remove(node);
        Trees.delete(node.datadir().getParent());
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
    }
}
