package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.cli.admin.SstAdmin;
import org.sstorchestrator.harness.LocalCluster;

/**
 * Promise P7 end to end: a real SST with a password full of shell and URI metacharacters
 * ({@value LocalCluster#SST_PASSWORD}), and afterwards the password is in no child's argv (what
 * {@code /proc/<pid>/cmdline} shows: a stand-in records the argv of every mariadb-backup call
 * and then execs the real one), in no log, in no byte of either history database or of the
 * kept child logs, and in no sst-admin output. It reached mariadb-backup through MYSQL_PWD.
 */
class SecretsIT {

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("secrets", 5);

    @Test
    void theSstPasswordReachesNoArgvLogHistoryOrAdminOutputOnlyMysqlPwd(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("stand-in"));
        Path calls = tmp.resolve("calls.log");
        Path standIn = bin.resolve("mariadb-backup");
        Files.writeString(standIn, "#!/bin/sh\n"
                + "echo \"argv: $*\" >> '" + calls + "'\n"
                + "case \" $* \" in *\" --backup \"*) [ -n \"$MYSQL_PWD\" ] && echo 'MYSQL_PWD set for the backup' >> '"
                + calls + "';; esac\n"
                + "exec /usr/bin/mariadb-backup \"$@\"\n");
        standIn.toFile().setExecutable(true);
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));

        // mysqld copies its whole command line after --mysqld-args: containers often set the SST
        // credentials there, in both spellings and both forms (issue 6 item 8)
        String[] mysqldArgs = {"--mysqld-args", "--basedir=/usr", "--wsrep_sst_auth=sst:" + LocalCluster.SST_PASSWORD,
                "--wsrep-sst-auth", "sst:" + LocalCluster.SST_PASSWORD};
        DirectSst.Side j = DirectSst.joiner(tmp, List.of(), env, mysqldArgs);
        String address = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.Side d = DirectSst.donor(tmp, DONOR.node(), address, List.of(), env, mysqldArgs);
        assertEquals(0, d.exit(DirectSst.BOUND), d.err());
        assertEquals(0, j.exit(DirectSst.BOUND), j.err());

        String log = Files.readString(calls);
        assertTrue(log.contains(" --backup ") && log.contains(" --prepare "), "the stand-in saw the calls:\n" + log);
        assertTrue(log.contains("--mysqld-args --basedir=/usr"), "mysqld's other arguments still reach the backup:\n" + log);
        assertTrue(log.contains("MYSQL_PWD set for the backup"), "the password went through MYSQL_PWD:\n" + log);
        assertNowhere(tmp, j, d, log, LocalCluster.SST_PASSWORD);
        TransitionLedger.record(getClass(), tmp);
    }

    /**
     * Issue 8: encrypt=1's key (the stock script passes it to openssl with -k, so ps and the
     * error log show it) and the joiner's VERIFY secret (the stock joiner logs both secrets on
     * a mismatch) reach no argv, no log, no history and no sst-admin output either; the key
     * never leaves our process, the secret goes only to mysqld on stdout and back inside the
     * encrypted transfer 1.
     */
    @Test
    void encryptKeyAndTheJoinersSecretReachNoArgvLogHistoryOrAdminOutput(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("stand-in"));
        Path calls = tmp.resolve("calls.log");
        Path standIn = bin.resolve("mariadb-backup");
        Files.writeString(standIn, "#!/bin/sh\necho \"argv: $*\" >> '" + calls + "'\nexec /usr/bin/mariadb-backup \"$@\"\n");
        standIn.toFile().setExecutable(true);
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        List<String> enc1 = List.of("encrypt=1", "encrypt-algo=aes-256-cbc", "encrypt-key=" + TlsFixture.keyCanary(),
                "ssl-mode=VERIFY_CA");
        DirectSst.Side j = DirectSst.joiner(tmp, enc1, env);
        String ready = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        assertTrue(ready.matches(":[0-9a-f]{32}@127\\.0\\.0\\.1:[0-9]+/xtrabackup_sst//1"), "no CN with encrypt=1: " + ready);
        String secret = ready.substring(1, 33);
        Map<String, String> donorEnv = new java.util.HashMap<>(env);
        donorEnv.put("WSREP_SST_OPT_REMOTE_AUTH", ready.substring(0, ready.indexOf('@')));
        DirectSst.Side d = DirectSst.donor(tmp, DONOR.node(), ready.substring(ready.indexOf('@') + 1), enc1, donorEnv);
        assertEquals(0, d.exit(DirectSst.BOUND), d.err());
        assertEquals(0, j.exit(DirectSst.BOUND), j.err());
        String log = Files.readString(calls);
        assertTrue(log.contains(" --backup "), log);
        assertNowhere(tmp, j, d, log, TlsFixture.keyCanary());
        assertNowhere(tmp, j, d, log, secret);
        TransitionLedger.record(getClass(), tmp);
    }

    /** {@code canary} is in no recorded argv, neither side's stderr, no byte we wrote, no sst-admin output. */
    private static void assertNowhere(Path tmp, DirectSst.Side j, DirectSst.Side d, String argvLog, String canary)
            throws IOException {
        assertFalse(argvLog.contains(canary), "no argv holds it:\n" + argvLog);
        assertFalse(j.err().contains(canary) || d.err().contains(canary), "neither side's log holds it");

        // every byte we wrote: histories (with the gzipped child logs) and the child logs in both datadirs
        List<Path> written = new ArrayList<>(files(tmp.resolve("joiner-history")));
        written.addAll(files(tmp.resolve("donor-history")));
        written.addAll(files(tmp.resolve("data")).stream().filter(p -> p.getFileName().toString().startsWith("mariabackup.")).toList());
        written.add(DONOR.node().datadir().resolve("mariabackup.backup.log"));
        Path history = tmp.resolve("donor-history/history.mv.db");
        assertTrue(contains(Files.readAllBytes(history), DONOR.node().datadir().toString().getBytes(StandardCharsets.UTF_8)),
                "control: the database file holds recorded strings as plain bytes, so a search can find them");
        byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
        for (Path f : written) {
            assertFalse(contains(bytesOf(f), needle), f + " holds it");
        }

        for (String dir : List.of(tmp.resolve("joiner-history").toString(), tmp.resolve("donor-history").toString())) {
            for (String[] cmd : List.of(new String[] {"history", "--json"}, new String[] {"inspect", "last"},
                    new String[] {"inspect", "last", "--json"}, new String[] {"logs", "last"})) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                List<String> args = new ArrayList<>(List.of(cmd));
                args.addAll(List.of("--history-dir", dir));
                assertEquals(0, new SstAdmin(new PrintWriter(out), new PrintWriter(err)).execute(args.toArray(String[]::new)),
                        err.toString());
                assertFalse((out + err.toString()).contains(canary), String.join(" ", cmd) + " prints it");
            }
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    /** A file's bytes, gunzipped when it is a kept (gzipped) child log. */
    private static byte[] bytesOf(Path f) throws IOException {
        if (f.getFileName().toString().endsWith(".gz")) {
            try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(f);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
