package org.sstorchestrator.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.cli.log.SstLogFormat;
import org.sstorchestrator.cli.run.RunAssembly;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.states.args.Credentials;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.config.TlsSettings;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.tls.NativeCrypto;
import org.sstorchestrator.states.tls.TlsChannel;
import org.sstorchestrator.states.tls.TlsMaterial;
import org.sstorchestrator.states.wire.ControlChannel;
import org.sstorchestrator.wire.Cancel;
import org.sstorchestrator.wire.Chain;
import org.sstorchestrator.wire.Coalescing;
import org.sstorchestrator.wire.Counting;
import org.sstorchestrator.wire.Direction;
import org.sstorchestrator.wire.Transfer;

/**
 * Run once by the build with -XX:ArchiveClassesAtExit: a real joiner run, assembled as every
 * run is ({@link RunAssembly}), in a scratch datadir, with encrypt=4, to which a donor's TLS
 * client connects from another thread, completes the handshake and hangs up, so the classes
 * an SST process starts with (logging, H2 and Flyway, Spring Statemachine, the machines and
 * their stages, picocli, and for TLS JSSE's and the native provider's) land in a CDS archive
 * the launchers map. Start-up is on the SST's critical path twice (joiner, then donor);
 * docs/jvm-and-libraries.md#start-up: ~1.0 s without and ~0.6 s with AppCDS. A TLS joiner loaded about
 * 970 classes outside an archive trained without TLS: archived too, a TLS joiner and donor
 * (our launcher, no mariadbd) took 0.70 s of CPU each instead of 0.79, and their first
 * handshake 74 ms instead of 106 (medians of 10).
 */
public final class CdsTraining {

    /**
     * What every JVM of ours starts with, the launchers' and this training's: the serial
     * collector (a run is one SST with a small heap; and an archive maps only into a JVM with the
     * collector it was made with) and no perf-data file.
     */
    static final List<String> EVERY_JVM = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData");

    private CdsTraining() {
    }

    /**
     * This training's JVM flags (before {@code -cp}), the build's run and the Debian package's
     * postinst alike ({@link LauncherFiles} writes them for both): C1 as the launchers start
     * (the tiers may differ from the archive's), AWS-LC's library from {@code lib} so that its
     * provider's classes are archived, and JVM log output off.
     */
    static List<String> jvmFlags(Path lib) {
        List<String> flags = new java.util.ArrayList<>(List.of(Relaunch.C1_ONLY,
                "-Djava.library.path=" + lib.resolve("native/linux-amd64")));
        flags.addAll(EVERY_JVM);
        flags.add("-Xlog:disable");
        return List.copyOf(flags);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sst-cds-");
        try {
            SstLogFormat.install(new PrintStream(java.io.OutputStream.nullOutputStream()), false);
            Path datadir = Files.createDirectories(dir.resolve("data"));
            Path cnf = dir.resolve("my.cnf");
            // metrics too: Prometheus' writer then starts from the archive in a run that writes them (issue 22)
            List<String> lines = new java.util.ArrayList<>(List.of("[sst]", "history-dir=" + dir.resolve("h"),
                    "sst-initial-timeout=1", "metrics-dir=" + Files.createDirectories(dir.resolve("metrics"))));
            boolean tls;
            try {
                Path pki = TrainingPki.write(Files.createDirectories(dir.resolve("pki")));
                lines.addAll(List.of("encrypt=4", "tca=" + pki.resolve("node.pem"), "tcert=" + pki.resolve("node.pem"),
                        "tkey=" + pki.resolve("node.key")));
                tls = true;
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                tls = false; // a plain joiner then: the archive holds less, and the SST works the same
            }
            Files.write(cnf, lines);
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            SstArguments sst = SstArguments.parse("--role", "joiner", "--address", "127.0.0.1:" + port, "--datadir",
                    datadir.toString(), "--defaults-file", cnf.toString());
            RunAssembly assembly = new RunAssembly(sst, System.getenv(), new Abort());
            OptionFiles options = assembly.options();
            if (tls) {
                Thread donor = new Thread(() -> handshakeAsDonor(options, port), "cds-donor");
                donor.setDaemon(true);
                donor.start();
            }
            String runId = UUID.randomUUID().toString();
            try (HistoryDatabase db = HistoryDatabase.openForWriting(assembly.historyDir(options))) {
                H2RunJournal j = new H2RunJournal(db, System::currentTimeMillis);
                j.runStarted(new NewRun(runId, "joiner", datadir.toString(), null, ProcessHandle.current().pid(), null,
                        "cds", System.currentTimeMillis()));
                ByteArrayOutputStream control = new ByteArrayOutputStream();
                assembly.assemble(runId, options, j, assembly.historyDir(options),
                        new ControlChannel(new PrintStream(control, true, StandardCharsets.UTF_8)), Credentials.NONE, null)
                        .execute();
            }
            new SstAdmin(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
                    .execute("history", "--history-dir", dir.resolve("h").toString());
            // a donor that publishes to the cluster's history connects with MariaDB's driver after its done
            // line: its classes up to the connect (no server here, so it fails as a gone server does)
            try {
                org.sstorchestrator.persistence.ClusterStore.open(org.sstorchestrator.persistence.ClusterEndpoint.socket(
                        dir.resolve("no-server.sock")), "cds", "", "cds", "cds").close();
            } catch (org.sstorchestrator.persistence.ClusterStoreException expected) {
                // the path a failing publish takes is archived too
            }
            loadEveryClassOfOurs();
        } finally {
            org.sstorchestrator.states.layout.FileTree.deleteQuietly(dir);
        }
    }

    /** The donor's side of transfer 1's handshake, then a hang-up: the joiner's run ends there. */
    private static void handshakeAsDonor(OptionFiles options, int port) {
        try {
            TlsSettings s = SstConfig.from(options, Role.DONOR).tls(); // the joiner's my.cnf, read as a donor's
            NativeCrypto.install();
            TlsChannel channel = TlsChannel.of(new TlsMaterial(s).load(Instant.now()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                Socket plain = new Socket();
                try {
                    plain.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                } catch (IOException notYet) {
                    plain.close();
                    if (System.nanoTime() > deadline) {
                        return;
                    }
                    Thread.sleep(20);
                    continue;
                }
                // the chain a donor's transfer opens, up to its data
                Chain chain = Chain.over().then(Coalescing.WRITES).then(channel.layer("training", "127.0.0.1", port,
                        Optional.empty(), Duration.ofSeconds(5), Optional.empty(), session -> session.describe(s)))
                        .then(Counting.WIRE).build();
                try (Transfer t = chain.open(plain, Direction.SEND, Cancel.NONE, Optional.empty())) {
                    t.out().flush();
                }
                return;
            }
        } catch (Exception | LinkageError e) {
            // a training run that does less archives less; the SST works the same
        }
    }

    /**
     * The joiner run above never reaches the donor's stages (nor the joiner's later ones), so
     * every class of ours is loaded, not initialized, to be archived too: a donor's start-up
     * is on the critical path as much as the joiner's.
     */
    private static void loadEveryClassOfOurs() throws java.io.IOException {
        ClassLoader loader = CdsTraining.class.getClassLoader();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(entry)) {
                for (String name : jar.stream().map(java.util.jar.JarEntry::getName)
                        .filter(n -> n.startsWith("org/sstorchestrator/") && n.endsWith(".class")).toList()) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    } catch (ClassNotFoundException | LinkageError notArchivable) {
                        // a class that cannot load here is simply not archived; the SST loads it as usual
                    }
                }
            }
        }
    }
}
