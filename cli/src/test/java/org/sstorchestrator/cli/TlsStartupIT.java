package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;

/**
 * A TLS joiner as the launcher starts it, up to its preflight (no donor comes): its JVM is
 * C1-only, AWS-LC's provider is loaded from the build's copy (no copy of its library in the
 * temporary directory), and JSSE's classes and the provider's come from the build's CDS
 * archive, where a training run with a handshake put them, instead of being loaded, and for
 * the provider's signed jar verified, at every start.
 */
class TlsStartupIT {

    @Test
    void aTlsJoinerStartsC1OnlyWithAwsLcAndJssesClassesFromTheArchive(@TempDir Path tmp) throws Exception {
        Path classes = tmp.resolve("classes.log");
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        // the JDK's java, with class loading logged (after the launcher's -Xlog:disable) and its own temporary directory
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/bash\nargs=()\nfor a in \"$@\"; do\n"
                + "  [ \"$a\" = -cp ] && args+=(-Xlog:class+load=info:file=" + classes + " -Djava.io.tmpdir=" + javaTmp + ")\n"
                + "  args+=(\"$a\")\ndone\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"${args[@]}\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));

        Map<String, String> a = joinerWithNoDonor(tmp, Map.of("SST_JAVA", java.toString()));

        String log = Files.readString(classes);
        for (String c : List.of("sun.security.ssl.SSLContextImpl", "sun.security.ssl.SSLContextImpl$TLSContext",
                "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider", "com.amazon.corretto.crypto.provider.Loader",
                "org.sstorchestrator.states.tls.TlsChannel")) {
            assertTrue(log.contains(" " + c + " source: shared objects file"), c + " not from the archive:\n"
                    + log.lines().filter(l -> l.contains(" " + c + " ")).toList());
        }
        try (var left = Files.list(javaTmp)) {
            assertEquals(List.of(), left.toList(), "the provider copied its library into the temporary directory");
        }
        assertEquals("C1", a.get("compilers"), a.toString());
        assertTrue(a.getOrDefault("tls.crypto", "").startsWith("AWS-LC ("), a.toString());
    }

    /** A TLS run the launcher's guess missed (SST_LAUNCH_C1=1 stands for that) is started again for the cap alone: C1 still. */
    @Test
    void aTlsRunTheLauncherMissedGoesOnInASecondJvmStillC1OnAwsLc(@TempDir Path tmp) throws Exception {
        Map<String, String> a = joinerWithNoDonor(tmp, Map.of("SST_LAUNCH_C1", "1"));
        assertTrue(a.containsKey("relaunched_from"), a.toString());
        assertEquals("C1", a.get("compilers"), a.toString());
        assertTrue(a.getOrDefault("tls.crypto", "").startsWith("AWS-LC ("), a.toString());
    }

    /**
     * An encrypt=4 joiner started through the launcher with {@code env}, up to its ready line;
     * no donor comes, so it ends with 32. Its run's attributes.
     */
    private Map<String, String> joinerWithNoDonor(Path tmp, Map<String, String> env) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TlsFixture.awsLcShipped(), "AWS-LC is shipped for x86-64 only");
        TlsFixture tls = new TlsFixture(tmp.resolve("pki"));
        Path cnf = tmp.resolve("my.cnf");
        Files.write(cnf, List.of("[sst]", "encrypt=4", "tca=" + tls.ca, "tcert=" + tls.cert, "tkey=" + tls.key,
                "history-dir=" + tmp.resolve("h"), "sst-initial-timeout=1"));
        Files.createDirectories(tmp.resolve("data"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SstLauncher.Result r = SstLauncher.run(tmp, env, "--role", "joiner", "--address", "127.0.0.1:" + port, "--datadir",
                tmp.resolve("data").toString(), "--defaults-file", cnf.toString());
        assertTrue(r.stdout().startsWith("ready "), r.stderr());
        assertEquals(32, r.exitCode(), "no donor came: " + r.stderr());
        TransitionLedger.record(getClass(), tmp);
        try (HistoryDatabase db = HistoryDatabase.openForReading(tmp.resolve("h"))) {
            HistoryQueries q = new HistoryQueries(db);
            return q.detail(q.history(null, 1).get(0).id()).attributes();
        }
    }
}
