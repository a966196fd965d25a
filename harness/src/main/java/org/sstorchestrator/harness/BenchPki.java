package org.sstorchestrator.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The tls4 profile's certificates, made at benchmark start with the openssl CLI (the tests'
 * PKI is in a test jar the harness does not use): a CA, and one certificate and key that both
 * nodes use. The certificate is for CN=localhost with subjectAltName DNS:localhost and
 * IP:127.0.0.1, so any name either script could check on 127.0.0.1 passes. With encrypt=4 and
 * no ssl-mode both check the chain only: the stock script gives socat {@code commonname=''}
 * on both ends, and ours does the same (PeerName); a name is checked only when an ssl-mode
 * VERIFY_* makes the joiner send its CN.
 */
final class BenchPki {

    /** Longer than any benchmark runs: ours refuses a certificate outside its validity period. */
    private static final String DAYS = "7";

    private BenchPki() {
    }

    /** Makes the files under {@code work/pki} and returns the [sst] lines naming them. */
    static List<String> sstLines(Path work) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("pki"));
        Path log = dir.resolve("openssl.log");
        Path ca = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        Path cert = dir.resolve("node.pem");
        Path key = dir.resolve("node.key");
        openssl(log, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", DAYS, "-subj", "/CN=sst-bench CA",
                "-keyout", caKey.toString(), "-out", ca.toString());
        // OpenSSL 3's req signs with a CA itself (-CA): no CSR and no extension file
        openssl(log, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", DAYS, "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:FALSE",
                "-addext", "extendedKeyUsage=serverAuth,clientAuth", "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-keyout", key.toString(), "-out", cert.toString());
        return List.of("encrypt=4", "ssl-ca=" + ca, "ssl-cert=" + cert, "ssl-key=" + key);
    }

    private static void openssl(Path log, String... args) throws IOException, InterruptedException {
        String[] argv = new String[args.length + 1];
        argv[0] = "openssl";
        System.arraycopy(args, 0, argv, 1, args.length);
        Cmd.run(Duration.ofMinutes(1), log, Map.of(), argv);
    }
}
