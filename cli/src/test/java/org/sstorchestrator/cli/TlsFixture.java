package org.sstorchestrator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.states.tls.TestPki;

/**
 * Certificates for the TLS integration tests, made by the test (TestPki, BouncyCastle), and
 * the TLS settings of every mode the stock script has (issue 8), each a list of my.cnf lines
 * for the end of a node's option file (after its [sst] group; a case may open other groups).
 */
final class TlsFixture {

    /** One mode: its name, and the lines each side's my.cnf ends with. */
    record Mode(String name, List<String> joiner, List<String> donor) {
        /** What the run must record as its wire ("TLS encrypt=4 ..." or "openssl enc ..."). */
        String expectedWire() {
            return joiner.stream().anyMatch(l -> l.endsWith("encrypt=1")) ? "openssl enc" : "TLS encrypt=";
        }

        boolean tls() {
            return expectedWire().startsWith("TLS");
        }

        /** Without a CA on the joiner (encrypt=3 without one, REQUIRED), or with verify=0, it asks no certificate of the donor. */
        boolean joinerSeesDonorCertificate() {
            return !name.contains("without a CA") && !name.contains("REQUIRED") && !name.contains("verify=0");
        }

        /**
         * The stock script's TLS lines a node prints in this mode (what follows "WSREP_SST: [INFO] ",
         * as regexes), on the joiner or the donor; {@code stockNode}: printed by the stock script,
         * which prints the CA line where its socat then takes sockopt's verify=0 (ours says verify=0).
         */
        List<String> stockLines(boolean onJoiner, boolean stockNode) {
            String all = String.join("\n", onJoiner ? joiner : donor);
            String action = onJoiner ? "Decrypting" : "Encrypting";
            List<String> out = new ArrayList<>();
            if (all.contains("encrypt=1")) {
                out.add("Key based encryption enabled in my\\.cnf");
                out.add("SSL configuration: CA='', CAPATH='', CERT='', KEY='', MODE='DISABLED', encrypt='1'");
                return out;
            }
            boolean two = all.contains("encrypt=2");
            out.add("SSL configuration: CA='[^']*', CAPATH='[^']*', CERT='[^']+', KEY='[^']*', MODE='[A-Z_]+',"
                    + " encrypt='[234]'");
            out.add("Using openssl based encryption with socat: with " + (two ? "crt and pem" : "key and crt"));
            boolean ca = all.contains("ssl-ca=") || all.contains("tca=");
            boolean verifyOff = !ca || all.contains("ssl-mode=REQUIRED") || all.contains("verify=0") && !stockNode;
            if (two) {
                out.add(action + " with cert='[^']+', ca='[^']*', capath='[^']*'");
            } else if (verifyOff) {
                out.add(action + " with cert='[^']+', key='[^']+', verify=0");
            } else {
                if (all.contains("VERIFY_CA")) {
                    out.add("Verifying peer certificate chain for ssl-mode=VERIFY_CA");
                }
                out.add(action + " with cert='[^']+', key='[^']+', ca='[^']*', capath='[^']*'");
            }
            return out;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    final Path dir;
    final Path ca;
    final Path cert;
    final Path key;
    final Path key8;
    final Path combined;
    final Path joinerCert;
    final Path joinerKey;
    final Path donorCert;
    final Path donorKey;
    final Path chain;
    final Path chainKey;
    final Path caDir;
    final Path keyFile;
    final Path otherCa;
    final Path expiredCert;
    final Path expiredKey;
    final Path strangerCert;
    final Path strangerKey;
    final Path noLocalhostCert;
    final Path noLocalhostKey;
    final TestPki pki;

    TlsFixture(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        pki = new TestPki(dir);
        TestPki.Issued root = pki.ca("SST IT CA");
        ca = pki.cert("ca.pem", root);
        // nodes on 127.0.0.1: the stock donor checks 'localhost' when the joiner sends no CN (encrypt=3 with a CA)
        TestPki.Issued node = pki.node("node.sst.test", root, "node.sst.test", "localhost", "127.0.0.1");
        cert = pki.cert("node.pem", node);
        key = pki.key("node.key", node, TestPki.KeyForm.PKCS1);
        key8 = pki.key("node-pkcs8.key", node, TestPki.KeyForm.PKCS8);
        combined = pki.combined("node-with-key.pem", node);
        TestPki.Issued joiner = pki.node("joiner.sst.test", root, TestPki.ec(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), "joiner.sst.test", "localhost");
        joinerCert = pki.cert("joiner.pem", joiner);
        joinerKey = pki.key("joiner.key", joiner, TestPki.KeyForm.PKCS8);
        TestPki.Issued donor = pki.node("donor.sst.test", root, TestPki.ec(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), "donor.sst.test");
        donorCert = pki.cert("donor.pem", donor);
        donorKey = pki.key("donor.key", donor, TestPki.KeyForm.PKCS1); // EC PRIVATE KEY
        TestPki.Issued inter = pki.intermediate("SST IT Intermediate", root);
        TestPki.Issued leaf = pki.node("chain.sst.test", inter, "chain.sst.test", "localhost");
        chain = pki.chain("chain.pem", leaf);
        chainKey = pki.key("chain.key", leaf, TestPki.KeyForm.PKCS8);
        caDir = pki.caDirectory("cas", root);
        keyFile = Files.writeString(dir.resolve("sst.key"), "a passphrase from a file: S3cr:t@$!x\n");
        TestPki.Issued other = pki.ca("Other CA");
        otherCa = pki.cert("other-ca.pem", other);
        TestPki.Issued old = pki.node("node.sst.test", root, TestPki.rsa(), Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), "node.sst.test", "localhost");
        expiredCert = pki.cert("expired.pem", old);
        expiredKey = pki.key("expired.key", old, TestPki.KeyForm.PKCS1);
        TestPki.Issued stranger = pki.node("node.sst.test", other, "node.sst.test", "localhost");
        strangerCert = pki.cert("stranger.pem", stranger);
        strangerKey = pki.key("stranger.key", stranger, TestPki.KeyForm.PKCS1);
        TestPki.Issued remote = pki.node("remote.sst.test", root, "remote.sst.test");
        noLocalhostCert = pki.cert("remote.pem", remote);
        noLocalhostKey = pki.key("remote.key", remote, TestPki.KeyForm.PKCS1);
    }

    private static List<String> both(String... lines) {
        return List.of(lines);
    }

    /** Every mode the stock script has, as the issue lists them. */
    List<Mode> modes() {
        List<Mode> m = new ArrayList<>();
        List<String> enc2 = both("[sst]", "encrypt=2", "ssl-cert=" + combined, "ssl-ca=" + ca);
        m.add(new Mode("encrypt=2 (cert with its key + CA)", enc2, enc2));
        List<String> enc3 = both("[sst]", "encrypt=3", "ssl-cert=" + cert, "ssl-key=" + key8, "ssl-ca=" + ca);
        m.add(new Mode("encrypt=3 with a CA", enc3, enc3));
        List<String> enc3NoCa = both("[sst]", "encrypt=3", "tcert=" + cert, "tkey=" + key);
        m.add(new Mode("encrypt=3 without a CA (legacy tcert/tkey)", enc3NoCa, enc3NoCa));
        // the files in a server group, where an operator keeps the server's own TLS files ([mariadb])
        List<String> enc4 = both("[sst]", "encrypt=4", "[mariadb]", "ssl-cert=" + cert, "ssl-key=" + key, "ssl-ca=" + ca);
        m.add(new Mode("encrypt=4, the files in [mariadb]", enc4, enc4));
        List<String> required = both("[sst]", "ssl-mode=REQUIRED", "ssl-cert=" + cert, "ssl-key=" + key, "ssl-ca=" + ca);
        m.add(new Mode("ssl-mode=REQUIRED", required, required));
        // all of it in [galera]: mariadbd knows no ssl-mode, so loose- (a loose-encrypt there would stop mariadbd 10.11:
        // "ambiguous option", as encrypt is a prefix of encrypt_binlog and encrypt_tmp_*)
        List<String> verifyCa = both("[galera]", "loose-ssl-mode=VERIFY_CA", "ssl-cert=" + cert, "ssl-key=" + key,
                "ssl-ca=" + ca);
        m.add(new Mode("ssl-mode=VERIFY_CA, all in [galera]", verifyCa, verifyCa));
        m.add(new Mode("ssl-mode=VERIFY_IDENTITY", verifyIdentity(), verifyIdentity()));
        List<String> roles = both("[sst]", "encrypt=4", "ssl-mode=VERIFY_IDENTITY", "ssl-cert=" + dir.resolve("absent.pem"),
                "ssl-key=" + dir.resolve("absent.key"), "ssl-ca=" + ca, "ssl-server-cert=" + joinerCert,
                "ssl-server-key=" + joinerKey, "ssl-client-cert=" + donorCert, "ssl-client-key=" + donorKey);
        m.add(new Mode("role certificates (ssl-server-*, ssl-client-*)", roles, roles));
        List<String> chained = both("[sst]", "encrypt=4", "ssl-cert=" + chain, "ssl-key=" + chainKey, "ssl-ca=" + caDir + "/");
        m.add(new Mode("an intermediate CA chain, a CA directory", chained, chained));
        // sockopt's OPENSSL options (issue 19) that the stock script's socat takes too (it refuses one the script sets
        // itself, or no-sni/snihost on its listener): a cipher list under TLS 1.2; verify=0 with a CA
        List<String> ciphers = both("[sst]", "encrypt=4", "ssl-cert=" + cert, "ssl-key=" + key, "ssl-ca=" + ca,
                "sockopt=cipher=" + SOCKOPT_SUITE_OPENSSL + ":FOO,max-version=TLS1.2");
        m.add(new Mode("sockopt cipher, max-version", ciphers, ciphers));
        List<String> verify0 = both("[sst]", "encrypt=3", "ssl-cert=" + cert, "ssl-key=" + key, "ssl-ca=" + ca,
                "sockopt=verify=0,min-version=TLS1.2,compress=none");
        m.add(new Mode("sockopt verify=0 with a CA", verify0, verify0));
        List<String> key1 = both("[sst]", "encrypt=1", "encrypt-algo=aes-256-cbc", "encrypt-key=" + keyCanary());
        m.add(new Mode("encrypt=1 with encrypt-key", key1, key1));
        List<String> file1 = both("[sst]", "encrypt=1", "encrypt-algo=aes-128-ctr", "encrypt-key-file=" + keyFile);
        m.add(new Mode("encrypt=1 with encrypt-key-file", file1, file1));
        return m;
    }

    /** The suite the cipher mode allows, by OpenSSL's name and JSSE's. */
    static final String SOCKOPT_SUITE_OPENSSL = "ECDHE-RSA-AES256-GCM-SHA384";
    static final String SOCKOPT_SUITE = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";

    List<String> verifyIdentity() {
        return both("[sst]", "encrypt=4", "ssl-mode=VERIFY_IDENTITY", "ssl-cert=" + cert, "ssl-key=" + key, "ssl-ca=" + ca);
    }

    /** encrypt=1's key in the ITs: SecretsIT looks for it everywhere it must not be. */
    static String keyCanary() {
        return "k3y-canary-7f3a";
    }

    /** The attributes a run recorded (security, tls.magic, tls.backup ...). */
    /** Whether the build shipped AWS-LC's library for this platform: then TLS runs on it, in a C1-only JVM. */
    static boolean awsLcShipped() {
        return Files.isRegularFile(ClusterFixture.appBin().resolveSibling("lib")
                .resolve("native/linux-" + System.getProperty("os.arch") + "/libamazonCorrettoCryptoProvider.so"));
    }

    static Map<String, String> attributes(Path history, String runId) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            return new HistoryQueries(db).detail(runId).attributes();
        }
    }
}
