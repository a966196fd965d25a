package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;

/**
 * Issue 8 with ours on both sides, run as mysqld runs them (DirectSst) against one real donor
 * node: every mode works; and failing closed. TLS asked for and unusable, on either role,
 * ends the run with its documented code and one message naming the setting, the file and
 * the reason, before the joiner prints {@code ready} or the donor connects; a peer that fails
 * the handshake (wrong name, untrusted CA, expired certificate, cleartext either way, the
 * wrong secret) ends both runs. In no case is a position printed, and the joiner's old data
 * is still there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsDirectIT {

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("tls-direct", 5);

    private Path root;
    private TlsFixture tls;
    private int runs;

    @BeforeAll
    void pki(@TempDir Path tmp) throws Exception {
        root = tmp;
        tls = new TlsFixture(tmp.resolve("pki"));
    }

    /** One SST's two sides, started as mysqld starts them; the donor gets the joiner's ready address. */
    private record Pair(DirectSst.Side joiner, DirectSst.Side donor, Path dir) {
    }

    private Path next(String name) throws Exception {
        Path d = root.resolve(String.format("%02d-%s", ++runs, name.replaceAll("[^A-Za-z0-9]+", "-")));
        Files.createDirectories(d.resolve("data"));
        // the joiner's old data: no failure may lose it
        Files.writeString(d.resolve("data/old-table.ibd"), "old data\n");
        return d;
    }

    private Pair run(String name, List<String> joinerLines, List<String> donorLines, Map<String, String> donorEnv)
            throws Exception {
        Path d = next(name);
        List<String> j = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        j.addAll(joinerLines);
        DirectSst.Side joiner = DirectSst.joiner(d, j, Map.of());
        String ready = DirectSst.ready(joiner).orElse(null);
        if (ready == null) {
            return new Pair(joiner, null, d);
        }
        int at = ready.lastIndexOf('@'); // mysqld hands what precedes it to the donor as WSREP_SST_OPT_REMOTE_AUTH
        Map<String, String> env = new HashMap<>();
        if (at >= 0) {
            env.put("WSREP_SST_OPT_REMOTE_AUTH", ready.substring(0, at));
        }
        env.putAll(donorEnv);
        List<String> dl = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        dl.addAll(donorLines);
        DirectSst.Side donor = DirectSst.donor(d, DONOR.node(), ready.substring(at + 1), dl, env);
        return new Pair(joiner, donor, d);
    }

    private static RunSummary last(Path history) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            return new HistoryQueries(db).history(null, 1).get(0);
        }
    }

    @Test
    void everyModeWorksWithOursOnBothSidesAndIsRecordedByBoth() throws Exception {
        for (TlsFixture.Mode mode : tls.modes()) {
            Pair p = run(mode.name(), mode.joiner(), mode.donor(), Map.of());
            assertTrue(p.donor() != null, mode + ": no ready line\n" + p.joiner().err());
            assertEquals(0, p.donor().exit(DirectSst.BOUND), mode + ":\n" + p.donor().err() + "\n" + p.joiner().err());
            assertEquals(0, p.joiner().exit(DirectSst.BOUND), mode + ":\n" + p.joiner().err());
            List<String> out = p.joiner().lines();
            assertTrue(out.get(out.size() - 1).matches("[0-9a-f-]{36}:[0-9]+ 0"), mode + ": " + out);
            assertEquals(mode.joiner().stream().anyMatch(l -> l.contains("VERIFY")), out.get(0).contains("@"),
                    mode + ": the ready line carries <CN>:<secret>@ exactly in a VERIFY mode: " + out.get(0));
            TlsStockInteropIT.assertRecorded(p.joiner().history(), last(p.joiner().history()).id(), mode,
                    !mode.joinerSeesDonorCertificate() ? "(no certificate)"
                            : mode.name().startsWith("role") ? "CN=donor.sst.test" : "CN=", true);
            TlsStockInteropIT.assertRecorded(p.donor().history(), last(p.donor().history()).id(), mode,
                    mode.name().startsWith("role") ? "CN=joiner.sst.test" : "CN=", true);
        }
        TransitionLedger.record(getClass(), root);
    }

    /**
     * ssl-dhparams: what the joiner offers a TLS 1.2 client that wants DHE and names no FFDHE
     * group (socat's dhparam=). openssl s_client asks for exactly that and reports the group's
     * size: 3072 bits from the file, where JSSE's own choice would be 2048. sockopt's dhparam= is
     * taken the same way (before ssl-dhparams, as the stock script lets it).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ssl-dhparams=", "sockopt=dhparam="})
    void sslDhparamsAreTheJoinersDheGroupUnderTls12(String setting) throws Exception {
        Path dh = root.resolve("ffdhe3072.pem");
        Process gen = new ProcessBuilder("openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt",
                "group:ffdhe3072", "-out", dh.toString()).redirectErrorStream(true).start();
        gen.getInputStream().readAllBytes();
        assertEquals(0, gen.waitFor());
        Path d = next("dhparams " + setting);
        List<String> lines = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        // sockopt's dhparam= is the one the stock script's socat gets too (issue 19)
        lines.addAll(List.of("encrypt=3", "ssl-cert=" + tls.cert, "ssl-key=" + tls.key, setting + dh));
        DirectSst.Side joiner = DirectSst.joiner(d, lines, Map.of());
        String ready = DirectSst.ready(joiner).orElseThrow(() -> new AssertionError(joiner.err()));
        String hostPort = ready.substring(0, ready.indexOf('/'));
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", hostPort, "-tls1_2", "-cipher",
                "DHE-RSA-AES256-GCM-SHA384", "-groups", "P-256").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(client.getInputStream().readAllBytes());
        client.waitFor();
        assertTrue(out.contains("Server Temp Key: DH, 3072 bits"), out);
        assertEquals(32, joiner.exit(DirectSst.BOUND), "s_client sent no position: " + joiner.err());
        assertNoPosition(new Pair(joiner, null, d));
        TransitionLedger.record(getClass(), root);
    }

    // ---- sockopt's OPENSSL options (issue 19) that only ours takes on both sides ----

    /**
     * What the stock script's socat cannot be given (it refuses an option the script sets
     * itself, and no-sni or snihost on its listener), between our nodes: commonname on either
     * side, SNI from the donor, min-version. Each run joins, its lines say what was applied,
     * and its record shows what the wire did.
     */
    @Test
    void sockoptsCommonnameSniAndMinVersionBetweenOurNodes() throws Exception {
        List<String> joinerLines = new ArrayList<>(tls.verifyIdentity());
        joinerLines.add("sockopt=commonname=node.sst.test,min-version=TLS1.3");
        List<String> donorLines = new ArrayList<>(List.of("[sst]", "encrypt=3", "ssl-cert=" + tls.cert,
                "ssl-key=" + tls.key, "ssl-ca=" + tls.ca, "sockopt=commonname=node.sst.test,no-sni=0,snihost=sni.sst.test"));
        Pair p = run("sockopt commonname sni", joinerLines, donorLines, Map.of());
        assertEquals(0, p.donor().exit(DirectSst.BOUND), p.donor().err() + "\n" + p.joiner().err());
        assertEquals(0, p.joiner().exit(DirectSst.BOUND), p.joiner().err());
        assertTrue(p.joiner().lines().get(p.joiner().lines().size() - 1).matches("[0-9a-f-]{36}:[0-9]+ 0"),
                p.joiner().lines().toString());
        assertTrue(Files.size(p.dir().resolve("data/sbtest/t.ibd")) > 0, "the donor's table arrived");
        assertTrue(p.joiner().err().contains("[sst] sockopt's TLS options: min-version=TLSv1.3 (TLSv1.3);"
                + " commonname='node.sst.test'"), p.joiner().err());
        assertTrue(p.donor().err().contains("[sst] sockopt's TLS options: commonname='node.sst.test'; SNI 'sni.sst.test'"),
                p.donor().err());
        Map<String, String> j = TlsFixture.attributes(p.joiner().history(), last(p.joiner().history()).id());
        assertTrue(j.get("tls.magic").contains(" TLSv1.3 ") && j.get("tls.magic").contains("; SNI 'sni.sst.test'"),
                j.toString());
        Map<String, String> d = TlsFixture.attributes(p.donor().history(), last(p.donor().history()).id());
        assertTrue(d.get("tls.backup").contains("chain and name 'node.sst.test' verified"), d.toString());

        // the joiner checks the donor's certificate for the name sockopt gives it, as socat's listener does
        List<String> wrongName = new ArrayList<>(tls.verifyIdentity());
        wrongName.add("sockopt=commonname=other.sst.test");
        Pair q = run("sockopt commonname wrong", wrongName, tls.verifyIdentity(), Map.of());
        assertEquals(32, q.joiner().exit(DirectSst.BOUND), q.joiner().err());
        assertTrue(q.joiner().err().contains("commonName does not match hostname \"other.sst.test\""), q.joiner().err());
        assertEquals(32, q.donor().exit(DirectSst.BOUND), q.donor().err());
        assertNoPosition(q);
        assertDataKept(q);

        // what means nothing here is refused, naming it: SNI on the joiner (socat's listener refuses it too), egd
        List<String> sniOnJoiner = new ArrayList<>(tls.verifyIdentity());
        sniOnJoiner.add("sockopt=no-sni=0");
        Pair r = run("sockopt no-sni on the joiner", sniOnJoiner, tls.verifyIdentity(), Map.of());
        assertEquals(null, r.donor(), "no ready line");
        assertEquals(22, r.joiner().exit(DirectSst.BOUND), r.joiner().err());
        assertTrue(r.joiner().err().contains("[sst] sockopt no-sni is refused: the joiner is the TLS server"),
                r.joiner().err());
        assertDataKept(r);
        TransitionLedger.record(getClass(), root);
    }

    // ---- TLS unusable on one side: refused before anything is sent ----

    private List<String> enc4(Path cert, Path key, Path ca) {
        return List.of("[sst]", "encrypt=4", "ssl-cert=" + cert, "ssl-key=" + key, "ssl-ca=" + ca);
    }

    /** The cases of unusable material, each with words its message must hold. */
    private record Bad(String name, List<String> lines, List<String> words) {
    }

    private List<Bad> unusable() throws Exception {
        Path garbage = Files.writeString(root.resolve("garbage.pem"), "-----BEGIN NOTHING-----\n");
        return List.of(
                new Bad("missing certificate", enc4(root.resolve("absent.pem"), tls.key, tls.ca),
                        List.of("ssl-cert " + root.resolve("absent.pem"), "no such file")),
                new Bad("unreadable key", enc4(tls.cert, garbage, tls.ca),
                        List.of("ssl-key " + garbage)),
                new Bad("key not the certificate's", enc4(tls.cert, tls.strangerKey, tls.ca),
                        List.of("The certificate and private key do not match", "ssl-key " + tls.strangerKey,
                                "ssl-cert " + tls.cert)),
                new Bad("expired certificate", enc4(tls.expiredCert, tls.expiredKey, tls.ca),
                        List.of("The certifcate and CA (certificate authority) do not match", "expired on",
                                "ssl-cert " + tls.expiredCert)),
                new Bad("certificate of another CA", enc4(tls.strangerCert, tls.strangerKey, tls.ca),
                        List.of("The certifcate and CA", "ssl-ca " + tls.ca, "no CA there issued it")),
                new Bad("ssl-mode without certificate", List.of("[sst]", "ssl-mode=REQUIRED"),
                        List.of("ssl-mode is set to 'REQUIRED', but no usable SSL certificate and key were found")));
    }

    @Test
    void aJoinerWhoseTlsIsUnusableEndsWith22BeforeReadyAndKeepsItsData() throws Exception {
        for (Bad bad : unusable()) {
            Pair p = run("joiner " + bad.name(), bad.lines(), tls.verifyIdentity(), Map.of());
            assertEquals(null, p.donor(), bad.name() + ": the joiner printed ready:\n" + p.joiner().err());
            assertEquals(22, p.joiner().exit(DirectSst.BOUND), bad.name() + ":\n" + p.joiner().err());
            assertEquals(List.of(), p.joiner().lines(), bad.name() + ": nothing on stdout, no ready, no position");
            assertOneErrorNaming(p.joiner(), bad);
            assertDataKept(p);
            assertEquals("preflight", last(p.joiner().history()).lastStage());
        }
        TransitionLedger.record(getClass(), root);
    }

    @Test
    void aDonorWhoseTlsIsUnusableEndsWith22WithoutConnectingAndTheJoinerGivesUp() throws Exception {
        for (Bad bad : unusable()) {
            Pair p = run("donor " + bad.name(), tls.verifyIdentity(), bad.lines(), Map.of());
            assertEquals(22, p.donor().exit(DirectSst.BOUND), bad.name() + ":\n" + p.donor().err());
            assertOneErrorNaming(p.donor(), bad);
            assertEquals("preflight", last(p.donor().history()).lastStage());
            assertEquals(32, p.joiner().exit(DirectSst.BOUND), bad.name() + ":\n" + p.joiner().err());
            assertNoPosition(p);
            assertTrue(p.joiner().err().contains("sst-initial-timeout"), "nobody connected: " + p.joiner().err());
        }
        TransitionLedger.record(getClass(), root);
    }

    // ---- the peer fails the handshake: both runs end, nothing is taken in ----

    @Test
    void aJoinerCertificateWithTheWrongNameIsRefusedByTheDonor() throws Exception {
        // the joiner's address names another CN than its certificate's (VERIFY_IDENTITY checks it)
        Pair p = run("wrong CN", tls.verifyIdentity(), tls.verifyIdentity(), Map.of("WSREP_SST_OPT_REMOTE_AUTH",
                "wrong.sst.test:00112233445566778899aabbccddeeff"));
        peerFailure(p, "certificate is valid but its commonName does not match hostname \"wrong.sst.test\"",
                "TLS handshake");
        // no CN sent (encrypt=3, no VERIFY mode): the stock donor checks 'localhost' for a local joiner
        List<String> remote = List.of("[sst]", "encrypt=3", "ssl-cert=" + tls.noLocalhostCert,
                "ssl-key=" + tls.noLocalhostKey, "ssl-ca=" + tls.ca);
        Pair q = run("no localhost", remote, List.of("[sst]", "encrypt=3", "ssl-cert=" + tls.cert, "ssl-key=" + tls.key,
                "ssl-ca=" + tls.ca), Map.of());
        peerFailure(q, "does not match hostname \"localhost\"", "");
        TransitionLedger.record(getClass(), root);
    }

    @Test
    void aPeerFromAnUntrustedCaOrWithAnExpiredCertificateIsRefused() throws Exception {
        List<String> strangerJoiner = enc4(tls.strangerCert, tls.strangerKey, tls.otherCa);
        Pair p = run("untrusted joiner", strangerJoiner, tls.verifyIdentity(), Map.of());
        peerFailure(p, "the joiner's certificate was refused", "");
        // the donor does not check its own expired certificate without a CA (nobody on its side verifies it)
        Pair q = run("expired donor", List.of("[sst]", "encrypt=3", "ssl-cert=" + tls.cert, "ssl-key=" + tls.key,
                "ssl-ca=" + tls.ca), List.of("[sst]", "encrypt=3", "ssl-cert=" + tls.expiredCert,
                "ssl-key=" + tls.expiredKey), Map.of());
        assertEquals(32, q.joiner().exit(DirectSst.BOUND), q.joiner().err());
        assertTrue(q.joiner().err().contains("the donor's certificate was refused") && q.joiner().err().contains("expired on"),
                q.joiner().err());
        assertEquals(32, q.donor().exit(DirectSst.BOUND), q.donor().err());
        assertNoPosition(q);
        assertDataKept(q);
        TransitionLedger.record(getClass(), root);
    }

    @Test
    void aCleartextPeerAgainstTlsAndTheReverseEndBothRunsWith32() throws Exception {
        Pair p = run("cleartext donor", tls.verifyIdentity(), List.of(), Map.of());
        assertEquals(32, p.joiner().exit(DirectSst.BOUND), p.joiner().err());
        assertTrue(p.joiner().err().contains("the donor sent cleartext where a TLS handshake was expected"),
                p.joiner().err());
        assertEquals(32, p.donor().exit(DirectSst.BOUND), p.donor().err());
        assertNoPosition(p);
        assertDataKept(p);
        Pair q = run("cleartext joiner", List.of(), tls.verifyIdentity(), Map.of());
        assertEquals(32, q.donor().exit(DirectSst.BOUND), q.donor().err());
        assertTrue(q.donor().err().contains("TLS handshake"), q.donor().err());
        assertEquals(32, q.joiner().exit(DirectSst.BOUND), q.joiner().err());
        assertNoPosition(q);
        assertDataKept(q);
        TransitionLedger.record(getClass(), root);
    }

    @Test
    void aDonorThatDoesNotSendBackTheJoinersSecretIsRefusedWith32() throws Exception {
        List<String> verifyCa = List.of("[sst]", "ssl-mode=VERIFY_CA", "ssl-cert=" + tls.cert, "ssl-key=" + tls.key,
                "ssl-ca=" + tls.ca);
        Pair p = run("wrong secret", verifyCa, verifyCa, Map.of("WSREP_SST_OPT_REMOTE_AUTH",
                "node.sst.test:ffeeddccbbaa99887766554433221100"));
        assertEquals(32, p.joiner().exit(DirectSst.BOUND), p.joiner().err());
        assertTrue(p.joiner().err().contains("Donor does not know my secret!"), p.joiner().err());
        String secret = p.joiner().lines().get(0).replaceAll("^ready [^:]*:([0-9a-f]{32})@.*", "$1");
        assertFalse(p.joiner().err().contains(secret) || p.donor().err().contains(secret), "no secret in any log");
        p.donor().exit(DirectSst.BOUND);
        assertNoPosition(p);
        assertDataKept(p);
        TransitionLedger.record(getClass(), root);
    }

    private void peerFailure(Pair p, String donorWords, String joinerWords) throws Exception {
        assertEquals(32, p.donor().exit(DirectSst.BOUND), p.donor().err());
        assertTrue(p.donor().err().contains(donorWords), p.donor().err());
        assertEquals(32, p.joiner().exit(DirectSst.BOUND), p.joiner().err());
        assertTrue(p.joiner().err().contains(joinerWords), p.joiner().err());
        assertNoPosition(p);
        assertDataKept(p);
    }

    private static void assertOneErrorNaming(DirectSst.Side side, Bad bad) {
        List<String> errors = side.err().lines().filter(l -> l.contains("[ERROR]")
                && !l.startsWith("WSREP_SST: [ERROR] Cleanup after exit with status: ")).toList();
        assertEquals(1, errors.size(), bad.name() + ": one ERROR line:\n" + side.err());
        for (String w : bad.words()) {
            assertTrue(errors.get(0).contains(w), bad.name() + ": '" + w + "' in " + errors.get(0));
        }
    }

    private static void assertNoPosition(Pair p) throws Exception {
        List<String> out = p.joiner().lines();
        assertTrue(out.size() <= 1 && out.stream().allMatch(l -> l.startsWith("ready ")), "no position: " + out);
        if (p.donor() != null) {
            assertTrue(p.donor().lines().stream().noneMatch(l -> l.startsWith("done")), "no done: " + p.donor().lines());
        }
    }

    private static void assertDataKept(Pair p) throws Exception {
        assertEquals("old data\n", Files.readString(p.dir().resolve("data/old-table.ibd")), "the joiner's old data");
        assertTrue(LocalCluster.checksum(DONOR.node(), "sbtest.t").contains("sbtest.t"), "the donor node still serves");
    }
}
