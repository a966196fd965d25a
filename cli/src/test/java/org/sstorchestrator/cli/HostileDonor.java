package org.sstorchestrator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.states.wire.MbstreamWriter;

/**
 * A donor under an attacker's control, at the network boundary: it takes a real backup of a
 * real node with the real mariadb-backup (into a directory, so the test can tamper with it),
 * then speaks the wire protocol to our joiner itself: transfer 1 from memory, transfer 2 as
 * the real {@code mbstream -c} packs the (tampered) directory, or as raw bytes.
 */
final class HostileDonor {

    private HostileDonor() {
    }

    /** {@code mariadb-backup --backup --galera-info} of {@code node} into {@code dir}. */
    static Path backup(GaleraNode node, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("mariadb-backup", "--defaults-file=" + node.cnf(), "--backup",
                "--galera-info", "--user=" + LocalCluster.SST_USER, "--target-dir=" + dir)
                .redirectErrorStream(true).redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile());
        pb.environment().put("MYSQL_PWD", LocalCluster.SST_PASSWORD);
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("mariadb-backup --backup failed; see " + dir + ".log");
        }
        return dir;
    }

    /** The position the backup carries, as the donor puts it in transfer 1: {@code uuid:seqno domain}. */
    static String position(Path backup) throws IOException {
        String first = Files.readAllLines(backup.resolve("xtrabackup_galera_info")).get(0).strip();
        String[] parts = first.split("\\s+");
        return parts[0] + " " + (parts.length > 1 ? parts[1] : "0");
    }

    static Socket connect(String readyAddress) throws IOException {
        return connectFrom(readyAddress, null);
    }

    /** Connects from a given local address (127.0.0.2 is another host on loopback), or any if null. */
    static Socket connectFrom(String readyAddress, java.net.InetAddress local) throws IOException {
        String hostPort = readyAddress.substring(readyAddress.lastIndexOf('@') + 1).split("/")[0];
        int colon = hostPort.lastIndexOf(':');
        Socket s = new Socket();
        if (local != null) {
            s.bind(new InetSocketAddress(local, 0));
        }
        s.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 10_000);
        return s;
    }

    /** Transfer 1: the info files, as an mbstream, on its own connection. */
    static void sendInfo(String readyAddress, String position) throws IOException {
        sendInfo(readyAddress, position, "", java.util.Map.of());
    }

    /** Transfer 1 with more lines in the info file ({@code total 123\n}) and more files beside it. */
    static void sendInfo(String readyAddress, String position, String infoLines, java.util.Map<String, byte[]> files)
            throws IOException {
        try (Socket s = connect(readyAddress); OutputStream out = s.getOutputStream()) {
            MbstreamWriter w = new MbstreamWriter(out);
            w.file("xtrabackup_galera_info", (position + "\n" + infoLines).getBytes(StandardCharsets.UTF_8));
            w.file("donor_galera_info", (position + "\n").getBytes(StandardCharsets.UTF_8));
            for (java.util.Map.Entry<String, byte[]> f : files.entrySet()) {
                w.file(f.getKey(), f.getValue());
            }
            w.flush();
        }
    }

    /** Transfer 2: every file under {@code dir}, packed by the real {@code mbstream -c}. */
    static void sendDirectory(String readyAddress, Path dir) throws Exception {
        List<String> argv = new ArrayList<>(List.of("mbstream", "-c"));
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().forEach(argv::add);
        }
        Process p = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (Socket s = connect(readyAddress); OutputStream out = s.getOutputStream(); InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("mbstream -c failed");
        }
    }

    /** Transfer 2 (or any connection): these bytes, then the end of the stream. */
    static void sendBytes(String readyAddress, byte[] bytes) throws IOException {
        try (Socket s = connect(readyAddress); OutputStream out = s.getOutputStream()) {
            out.write(bytes);
        }
    }

    /** A shared library whose constructor writes {@code marker}: what an attacker would have prepare load. */
    static Path evilLibrary(Path dir, Path marker) throws Exception {
        Path c = dir.resolve("evil.c");
        Files.writeString(c, "#include <stdio.h>\n"
                + "__attribute__((constructor)) static void pwn(void) {\n"
                + "  FILE *f = fopen(\"" + marker + "\", \"w\");\n"
                + "  if (f) { fputs(\"the donor's code ran on the joiner\\n\", f); fclose(f); }\n"
                + "}\n");
        Path so = dir.resolve("evil.so");
        Process p = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", so.toString(), c.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("gcc failed (.ci/run installs it): " + out);
        }
        return so;
    }

    static Duration bound() {
        return DirectSst.BOUND;
    }
}
