package org.sstorchestrator.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.NewRun;
import org.sstorchestrator.states.Credentials;
import org.sstorchestrator.states.SstArguments;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.wire.ControlChannel;

/**
 * Run once by the build with -XX:ArchiveClassesAtExit: a real joiner run, assembled as every
 * run is ({@link RunAssembly}), in a scratch datadir, that listens and then gives up after a
 * second with no donor, so the classes an SST process starts with (logging, H2 and Flyway,
 * Spring Statemachine, the machines and their stages, picocli) land in a CDS archive the
 * launchers map. Start-up is on the SST's critical path twice (joiner, then donor);
 * java-notes.md measured ~1.0 s without and ~0.6 s with AppCDS.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("sst-cds-");
        try {
            SstLogFormat.install(new PrintStream(java.io.OutputStream.nullOutputStream()), false);
            Path datadir = Files.createDirectories(dir.resolve("data"));
            Path cnf = dir.resolve("my.cnf");
            Files.write(cnf, List.of("[sst]", "history-dir=" + dir.resolve("h"), "sst-initial-timeout=1"));
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            SstArguments sst = SstArguments.parse("--role", "joiner", "--address", "127.0.0.1:" + port, "--datadir",
                    datadir.toString(), "--defaults-file", cnf.toString());
            RunAssembly assembly = new RunAssembly(sst, System.getenv(), new Abort());
            OptionFiles options = assembly.options();
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
            loadEveryClassOfOurs();
        } finally {
            org.sstorchestrator.states.FileTree.deleteQuietly(dir);
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
