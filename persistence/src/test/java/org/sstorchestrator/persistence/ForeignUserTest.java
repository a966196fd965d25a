package org.sstorchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 item 3, tried as another local user would: while an SST holds its history, an
 * unprivileged OS user ({@code nobody}) looks for anything the SST's process listens on and
 * tries, through it, to open a database of its own and run {@code CREATE ALIAS} Java code,
 * {@code FILE_READ}, {@code RUNSCRIPT} and {@code LINK_SCHEMA}, to read the history's 0600 key
 * as the SST's user. Before this was fixed the history was served over an H2 TCP server on
 * 127.0.0.1 with {@code -ifExists} only, and all of it worked. Runs as root (CI does), since
 * it must switch to another user.
 */
class ForeignUserTest {

    @TempDir
    Path tmp;

    private static boolean root() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** TCP ports (v4 and v6) this process is listening on, from /proc: what another user can see too. */
    private static Set<Integer> ourListeningPorts() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) { // LISTEN
                    ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private static String runAsNobody(Path workdir, String... argv) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        cmd.addAll(List.of(argv));
        Process p = new ProcessBuilder(cmd).directory(workdir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the attacker's process hung: " + out);
        return out;
    }

    @Test
    void anotherLocalUserReachesNothingOfARunningSstsHistoryAndCannotRunCodeThroughIt() throws Exception {
        Assumptions.assumeTrue(root() && Files.isExecutable(Path.of("/usr/sbin/runuser")),
                "switching to the user nobody needs root and runuser (CI runs as root)");
        Path history = tmp.resolve("history");
        try (HistoryDatabase writer = HistoryDatabase.openForWriting(history)) {
            new H2RunJournal(writer, () -> 5L).runStarted(new NewRun("77777777-0000-0000-0000-000000000000", "joiner",
                    "/data", null, ProcessHandle.current().pid(), OwnerLiveness.startOf(ProcessHandle.current()), "t", 1L));
            String key = Files.readString(history.resolve(HistoryDatabase.KEY_FILE)).trim();

            // the attacker's own corner: world-readable code and an H2 jar, a directory it owns
            Path attacker = Files.createDirectories(tmp.resolve("attacker"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(attacker, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Files.copy(h2, attacker.resolve("h2.jar"));
            Files.copy(Path.of("src/test/resources/Intruder.java"), attacker.resolve("Intruder.java"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

            Set<Integer> ports = ourListeningPorts();
            List<String> tried = new ArrayList<>();
            for (int port : ports) {
                String out = runAsNobody(attacker, java, "-cp", attacker.resolve("h2.jar").toString(),
                        attacker.resolve("Intruder.java").toString(), Integer.toString(port), attacker.toString(),
                        history.resolve(HistoryDatabase.KEY_FILE).toString());
                tried.add(port + ": " + out.strip());
                assertFalse(out.contains(key), "another user read the history's key through port " + port + ":\n" + out);
            }
            assertEquals(Set.of(), ports, "the SST's process listens on TCP, where any local user can reach it: " + tried);

            // and the local socket readers use is out of its reach
            String probe = runAsNobody(attacker, java, attacker.resolve("Intruder.java").toString(), "unix",
                    history.toString(), "-");
            assertTrue(probe.contains("refused:"), "another user reached the history's reader socket: " + probe);
        }
    }
}
