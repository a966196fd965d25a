package org.sstorchestrator.states.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Failures;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.SocatTls;
import org.sstorchestrator.states.config.SockOpts;
import org.sstorchestrator.states.config.TlsSettings;
import org.sstorchestrator.wire.Cancel;
import org.sstorchestrator.wire.Chain;
import org.sstorchestrator.wire.Coalescing;
import org.sstorchestrator.wire.Counting;
import org.sstorchestrator.wire.Direction;
import org.sstorchestrator.wire.Transfer;
import org.sstorchestrator.wire.WireException;
import org.sstorchestrator.wire.tcp.SocketOptions;
import org.sstorchestrator.wire.tcp.Tcp;

/**
 * The TLS layer of the wire as a run declares it, on real sockets, ours against ours and against
 * socat run with the very options the stock script gives it, both ways (issue 8): what
 * is sent arrives whole; a wrong name, an untrusted CA, an expired certificate, a cleartext
 * peer and a stream cut without close_notify each end with 32 and say why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsChannelTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static final Tcp.Names NAMES = new Tcp.Names("peer", "the bound", "the address");

    private Path dir;

    private TestPki pki;
    private TestPki.Issued ca;
    private TestPki.Issued node;
    private Path caPem;
    private Path nodePem;
    private Path nodeKey;

    @BeforeAll
    void pki(@TempDir Path tmp) {
        dir = tmp;
        pki = new TestPki(dir);
        ca = pki.ca("SST Test CA");
        node = pki.node("node1.example", ca, "node1.example", "localhost");
        caPem = pki.cert("ca.pem", ca);
        nodePem = pki.cert("node.pem", node);
        nodeKey = pki.key("node.key", node, TestPki.KeyForm.PKCS1);
    }

    private static TlsChannel channel(Role role, String... sst) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : sst) {
            String[] p = s.split("=", 2);
            g.computeIfAbsent("sst", k -> new HashMap<>()).put(p[0], p[1]);
        }
        TlsSettings settings = TlsSettings.resolve(new OptionFiles(g), role);
        return TlsChannel.of(new TlsMaterial(settings).load(Instant.now()));
    }

    /** As {@link #channel}, with {@code [sst] sockopt} applied as a run applies it (config.SocatTls). */
    private static TlsChannel withSockopt(Role role, String sockopt, String... sst) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : sst) {
            String[] p = s.split("=", 2);
            g.computeIfAbsent("sst", k -> new HashMap<>()).put(p[0], p[1]);
        }
        TlsSettings settings = SocatTls.apply(SockOpts.parse("[sst] sockopt", sockopt).tls(),
                TlsSettings.resolve(new OptionFiles(g), role), new ArrayList<>());
        return TlsChannel.of(new TlsMaterial(settings).load(Instant.now()));
    }

    /** A transfer's chain up to its data, as a run declares it, over {@code plain}; the session goes to {@code seen}. */
    private static Transfer transfer(TlsChannel side, Socket plain, Direction direction, Optional<String> name,
                                     Optional<Duration> awaitClose, String what, List<TlsChannel.Session> seen) {
        return Chain.over().then(Coalescing.WRITES).then(side.layer(what, "127.0.0.1", plain.getPort(), name, T, awaitClose,
                seen::add)).then(Counting.WIRE).build().open(plain, direction, Cancel.NONE, Optional.empty());
    }

    /** Our joiner side for one connection: reads to the end; the session it saw, and the SNI it was sent into {@code sniSeen}. */
    private static CompletableFuture<TlsChannel.Session> joinerSession(ServerSocket server, TlsChannel joiner,
                                                                       List<String> sniSeen) {
        return CompletableFuture.supplyAsync(() -> {
            List<TlsChannel.Session> seen = new ArrayList<>();
            try (Transfer t = transfer(joiner, server.accept(), Direction.RECEIVE, Optional.empty(), Optional.empty(), "t",
                    seen)) {
                t.in().readAllBytes();
                TlsChannel.Session session = seen.get(0);
                session.sni().ifPresent(sniSeen::add);
                return session;
            } catch (IOException e) {
                throw new WireException(WireException.Kind.BROKEN_LINK, e.getMessage(), e);
            }
        });
    }

    /** One transfer, ours to ours; what the joiner saw of the session and, into {@code sniSeen}, the SNI it was sent. */
    private static TlsChannel.Session session(TlsChannel joiner, TlsChannel donor, Optional<String> name,
                                              List<String> sniSeen) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsChannel.Session> seen = joinerSession(server, joiner, sniSeen);
            try (Transfer t = Chain.over().then(Coalescing.WRITES).then(donor.layer("transfer 1", "node1.example",
                    server.getLocalPort(), name, T, Optional.empty(), x -> { })).build().open(new Socket(
                    InetAddress.getLoopbackAddress(), server.getLocalPort()), Direction.SEND, Cancel.NONE, Optional.empty())) {
                t.out().write(new byte[10]);
                t.finish();
            }
            return seen.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Issue 19: socat's cipher= and max-version= from sockopt are the suite and protocol the
     * transfer gets; without max-version TLS 1.3 is still spoken, as with socat on OpenSSL.
     */
    @Test
    void sockoptsCipherAndMaxVersionAreTheSuiteAndProtocolNegotiated() throws Exception {
        String opts = "cipher=ECDHE-RSA-AES128-GCM-SHA256:FOO,max-version=TLS1.2";
        TlsChannel.Session s = session(withSockopt(Role.JOINER, opts, enc4(nodePem, nodeKey, caPem)),
                withSockopt(Role.DONOR, opts, enc4(nodePem, nodeKey, caPem)), Optional.of("node1.example"), new ArrayList<>());
        assertEquals("TLSv1.2", s.protocol());
        assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", s.cipherSuite());

        s = session(withSockopt(Role.JOINER, "cipher=AES256-SHA", enc4(nodePem, nodeKey, caPem)),
                withSockopt(Role.DONOR, "cipher=AES256-SHA", enc4(nodePem, nodeKey, caPem)), Optional.empty(), new ArrayList<>());
        assertEquals("TLSv1.3", s.protocol(), "a cipher list leaves TLS 1.3's suites alone, as OpenSSL's");

        TlsChannel joiner = withSockopt(Role.JOINER, "max-version=TLS1.2", enc4(nodePem, nodeKey, caPem));
        TlsChannel donor = withSockopt(Role.DONOR, "min-version=TLS1.3", enc4(nodePem, nodeKey, caPem));
        assertThrows(Exception.class, () -> session(joiner, donor, Optional.empty(), new ArrayList<>()),
                "no protocol in common: the handshake fails");
    }

    /**
     * verify=0 on a side with a CA: it neither asks for nor checks the peer's certificate (its
     * own is still checked against its CA at preflight, as the stock script checks it).
     */
    @Test
    void sockoptsVerify0LeavesThePeerUnverifiedOnThatSide() throws Exception {
        TlsChannel joiner = withSockopt(Role.JOINER, "verify=0", "encrypt=3", "ssl-cert=" + nodePem, "ssl-key=" + nodeKey,
                "ssl-ca=" + caPem);
        TlsChannel donor = withSockopt(Role.DONOR, "verify=0", "encrypt=3", "ssl-cert=" + nodePem, "ssl-key=" + nodeKey,
                "ssl-ca=" + caPem);
        TlsChannel.Session s = session(joiner, donor, Optional.of("not.the.joiners.name"), new ArrayList<>());
        assertEquals(Optional.empty(), s.peerSubject(), "the joiner asked the donor for no certificate");
    }

    /** commonname= on the joiner checks the donor's certificate, as socat's listener does; on the donor, the joiner's. */
    @Test
    void sockoptsCommonnameIsTheNameEachSideChecksInItsPeer() throws Exception {
        TlsChannel joiner = withSockopt(Role.JOINER, "commonname=wrong.example", enc4(nodePem, nodeKey, caPem));
        TlsChannel donor = withSockopt(Role.DONOR, "", enc4(nodePem, nodeKey, caPem));
        Exception e = assertThrows(Exception.class, () -> session(joiner, donor, Optional.empty(), new ArrayList<>()));
        assertTrue(String.valueOf(e.getMessage()).contains("commonName does not match hostname \"wrong.example\""),
                String.valueOf(e.getMessage()));

        TlsSettings donorSettings = SocatTls.apply(SockOpts.parse("s", "commonname=node1.example").tls(),
                TlsSettings.resolve(new OptionFiles(Map.of("sst", Map.of("encrypt", "3", "ssl-cert", nodePem.toString(),
                        "ssl-key", nodeKey.toString(), "ssl-ca", caPem.toString()))), Role.DONOR), new ArrayList<>());
        assertEquals(Optional.of("node1.example"), PeerName.expected(donorSettings, null, "127.0.0.1"),
                "instead of 'localhost', the stock rule for a local joiner");
        donorSettings = SocatTls.apply(SockOpts.parse("s", "commonname=''").tls(), donorSettings, new ArrayList<>());
        assertEquals(Optional.empty(), PeerName.expected(donorSettings, null, "127.0.0.1"), "'': the chain alone");
    }

    /** no-sni=0 and snihost= make the donor send SNI; by default it sends none, as the stock script's no-sni=1. */
    @Test
    void sockoptsNoSniAndSnihostDecideTheSniTheDonorSends() throws Exception {
        TlsChannel joiner = withSockopt(Role.JOINER, "", enc4(nodePem, nodeKey, caPem));
        List<String> sni = new ArrayList<>();
        session(joiner, withSockopt(Role.DONOR, "", enc4(nodePem, nodeKey, caPem)), Optional.empty(), sni);
        assertEquals(List.of(), sni);
        session(joiner, withSockopt(Role.DONOR, "no-sni=0", enc4(nodePem, nodeKey, caPem)), Optional.empty(), sni);
        assertEquals(List.of("node1.example"), sni, "the joiner's host name");
        sni.clear();
        session(joiner, withSockopt(Role.DONOR, "snihost=db.example", enc4(nodePem, nodeKey, caPem)), Optional.empty(), sni);
        assertEquals(List.of("db.example"), sni);
    }

    /** Ours with sockopt's cipher and max-version against socat given the same, both ways: the same suite. */
    @Test
    void sockoptsCipherAgainstSocatGivenTheSameBothWays() throws Exception {
        String opts = "cipher=ECDHE-RSA-AES256-GCM-SHA384,max-version=TLS1.2";
        int port = freePort();
        Path out = dir.resolve("socat-cipher-" + port + ".out");
        Process p = socat(out, "-d", "-d", "-u", "openssl-listen:" + port + ",reuseaddr,cert=" + nodePem + ",key="
                + nodeKey + ",cafile=" + caPem + ",commonname=," + opts, "stdio");
        try {
            byte[] payload = data(1 << 20);
            connectWhenListening(port, () -> ourDonor(port, withSockopt(Role.DONOR, opts, enc4(nodePem, nodeKey, caPem)),
                    Optional.of("node1.example"), payload));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String log = Files.readString(out.resolveSibling(out.getFileName() + ".err"));
            assertEquals(0, p.exitValue(), log);
            assertArrayEquals(payload, Files.readAllBytes(out));
            assertTrue(log.contains("ECDHE-RSA-AES256-GCM-SHA384"), "socat names the suite it agreed: " + log);
        } finally {
            p.destroyForcibly();
        }
        TlsChannel joiner = withSockopt(Role.JOINER, opts, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsChannel.Session> seen = joinerSession(server, joiner, new ArrayList<>());
            Process d = new ProcessBuilder("socat", "-u", "stdio", "openssl-connect:127.0.0.1:" + server.getLocalPort()
                    + ",no-sni=1,cert=" + nodePem + ",key=" + nodeKey + ",cafile=" + caPem + ",commonname=node1.example,"
                    + opts).redirectInput(ProcessBuilder.Redirect.from(nodePem.toFile())).redirectErrorStream(true).start();
            assertTrue(d.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, d.exitValue(), new String(d.getInputStream().readAllBytes()));
            assertEquals("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", seen.get(30, TimeUnit.SECONDS).cipherSuite());
        }
    }

    private String[] enc4(Path cert, Path key, Path ca) {
        return new String[] {"encrypt=4", "ssl-cert=" + cert, "ssl-key=" + key, "ssl-ca=" + ca};
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Our joiner side: accepts one connection, TLS server, reads to the end. */
    private static CompletableFuture<byte[]> ourJoiner(ServerSocket server, TlsChannel joiner) {
        return CompletableFuture.supplyAsync(() -> {
            try (Transfer t = transfer(joiner, server.accept(), Direction.RECEIVE, Optional.empty(), Optional.empty(),
                    "transfer 1", new ArrayList<>())) {
                return t.in().readAllBytes();
            } catch (IOException e) {
                throw new WireException(WireException.Kind.BROKEN_LINK, "receiving failed: " + e.getMessage(), e);
            }
        });
    }

    /** Our donor side: connects, TLS client checking {@code name}, sends, ends with close_notify. */
    private static void ourDonor(int port, TlsChannel donor, Optional<String> name, byte[] payload) throws IOException {
        try (Transfer t = transfer(donor, new Socket(InetAddress.getLoopbackAddress(), port), Direction.SEND, name,
                Optional.empty(), "transfer 1", new ArrayList<>())) {
            OutputStream out = t.out();
            out.write(payload);
            t.finish();
        }
    }

    /** How a failure on either side ends a run: its exit code and message, as the run maps it. */
    private static org.sstorchestrator.states.SstException cause(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                return Failures.of(r);
            }
            throw e;
        }
        throw new AssertionError("no failure");
    }

    /** {@code body}'s failure as the run maps it. */
    private static org.sstorchestrator.states.SstException failure(Io body) {
        RuntimeException e = assertThrows(RuntimeException.class, body::run);
        return Failures.of(e);
    }

    @Test
    void encrypt4WithTheJoinersCnVerifiedCarriesTheStreamWholeAndRecordsTheSession() throws Exception {
        TlsChannel joiner = channel(Role.JOINER, enc4(nodePem, nodeKey, caPem));
        TlsChannel donor = channel(Role.DONOR, enc4(nodePem, nodeKey, caPem));
        byte[] payload = data(3 << 20);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            ourDonor(server.getLocalPort(), donor, Optional.of("node1.example"), payload);
            assertArrayEquals(payload, got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void theSecondTransferResumesTheFirstsSessionOnBothSidesAndStillNamesThePeer() throws Exception {
        TlsChannel joiner = channel(Role.JOINER, enc4(nodePem, nodeKey, caPem));
        TlsChannel donor = channel(Role.DONOR, enc4(nodePem, nodeKey, caPem));
        List<TlsChannel.Session> joinerSide = new ArrayList<>();
        List<TlsChannel.Session> donorSide = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (String transfer : List.of("transfer 1", "transfer 2")) {
                CompletableFuture<TlsChannel.Session> seen = CompletableFuture.supplyAsync(() -> {
                    // accepted and connected as the stages do (Tcp): that is where TCP_NODELAY is set
                    Socket plain = Tcp.acceptFrom(server, null, T, System::nanoTime, transfer, Cancel.NONE, refused -> { },
                            SocketOptions.none(), NAMES);
                    List<TlsChannel.Session> joinerSaw = new ArrayList<>();
                    try (Transfer t = transfer(joiner, plain, Direction.RECEIVE, Optional.empty(), Optional.empty(),
                            transfer, joinerSaw)) {
                        assertTrue(plain.getTcpNoDelay(), "a handshake's small flights must not wait for delayed ACKs");
                        t.in().readAllBytes();
                        return joinerSaw.get(0);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Socket plain = Tcp.connect("127.0.0.1", server.getLocalPort(), T, Cancel.NONE, System::nanoTime,
                        SocketOptions.none(), NAMES);
                // as the donor ends transfer 1: it waits for the joiner's close, and the joiner's ticket arrives
                try (Transfer t = transfer(donor, plain, Direction.SEND, Optional.of("node1.example"), Optional.of(T), transfer,
                        donorSide)) {
                    assertTrue(plain.getTcpNoDelay(), "a handshake's small flights must not wait for delayed ACKs");
                    t.out().write(data(1000));
                    t.finish();
                }
                joinerSide.add(seen.get(30, TimeUnit.SECONDS));
            }
        }
        for (List<TlsChannel.Session> side : List.of(joinerSide, donorSide)) {
            assertFalse(side.get(0).resumed(), side.toString());
            assertTrue(side.get(1).resumed(), "transfer 2 resumes transfer 1's session: " + side);
            assertEquals(side.get(0).peerFingerprint(), side.get(1).peerFingerprint());
            assertTrue(side.get(1).describe(TlsSettings.resolve(new OptionFiles(Map.of("sst", Map.of("encrypt", "4",
                    "ssl-cert", nodePem.toString(), "ssl-key", nodeKey.toString(), "ssl-ca", caPem.toString()))), Role.DONOR))
                    .endsWith("verified (by the earlier transfer: this one resumed its session)"), side.get(1).toString());
        }
    }

    @Test
    void theSessionNamesProtocolSuitePeerAndFingerprint() throws Exception {
        TlsChannel joiner = channel(Role.JOINER, enc4(nodePem, nodeKey, caPem));
        TlsChannel donor = channel(Role.DONOR, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TlsChannel.Session> seen = joinerSession(server, joiner, new ArrayList<>());
            ourDonor(server.getLocalPort(), donor, Optional.empty(), new byte[10]);
            TlsChannel.Session s = seen.get(30, TimeUnit.SECONDS);
            assertEquals("TLSv1.3", s.protocol());
            assertTrue(s.cipherSuite().startsWith("TLS_AES_"), s.cipherSuite());
            assertTrue(s.peerSubject().orElseThrow().contains("CN=node1.example"), s.toString());
            assertEquals(95, s.peerFingerprint().orElseThrow().length(), "32 bytes as hex pairs with ':'");
        }
    }

    @Test
    void aWrongNameFailsTheDonorWithSocatsWordsAndNothingArrives() throws Exception {
        TlsChannel joiner = channel(Role.JOINER, enc4(nodePem, nodeKey, caPem));
        TlsChannel donor = channel(Role.DONOR, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            org.sstorchestrator.states.SstException e = failure(() -> ourDonor(server.getLocalPort(), donor,
                    Optional.of("node2.example"), new byte[10]));
            assertEquals(ExitCode.EPIPE, e.code());
            assertTrue(e.getMessage().contains("certificate is valid but its commonName does not match hostname"
                    + " \"node2.example\""), e.getMessage());
            org.sstorchestrator.states.SstException j = cause(got); // the alert, or the close that follows it, whichever the joiner meets first
            assertTrue(j.getMessage().contains("refused the TLS handshake") || j.getMessage().contains("ended the TLS"
                    + " handshake") || j.getMessage().contains("closed the connection during"), j.getMessage());
        }
    }

    @Test
    void aJoinerCertificateFromAnotherCaIsRefusedByTheDonor() throws Exception {
        TestPki.Issued other = pki.ca("Other CA");
        TestPki.Issued stranger = pki.node("node1.example", other, "node1.example");
        TlsChannel joiner = channel(Role.JOINER, enc4(pki.cert("stranger.pem", stranger),
                pki.key("stranger.key", stranger, TestPki.KeyForm.PKCS8), pki.cert("other-ca.pem", other)));
        TlsChannel donor = channel(Role.DONOR, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            org.sstorchestrator.states.SstException e = failure(() -> ourDonor(server.getLocalPort(), donor,
                    Optional.empty(), new byte[10]));
            assertTrue(e.getMessage().contains("the joiner's certificate was refused") && e.getMessage().contains("ssl-ca "
                    + caPem), e.getMessage());
            cause(got);
        }
    }

    @Test
    void anExpiredDonorCertificateIsRefusedByAJoinerWithACa() throws Exception {
        TestPki.Issued old = pki.node("old.example", ca, TestPki.rsa(), Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)));
        // the donor has no CA, so its own check only warns (nobody would verify it on its side)
        TlsChannel donor = channel(Role.DONOR, "encrypt=3", "ssl-cert=" + pki.cert("old.pem", old),
                "ssl-key=" + pki.key("old.key", old, TestPki.KeyForm.PKCS1));
        TlsChannel joiner = channel(Role.JOINER, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            try {
                ourDonor(server.getLocalPort(), donor, Optional.empty(), new byte[10]);
            } catch (WireException | IOException expected) {
                // TLS 1.3: the donor may or may not see the alert before its write, and when the
                // joiner has already closed, the write itself fails (broken pipe)
            }
            org.sstorchestrator.states.SstException j = cause(got);
            assertEquals(ExitCode.EPIPE, j.code());
            assertTrue(j.getMessage().contains("the donor's certificate was refused") && j.getMessage().contains("expired"),
                    j.getMessage());
        }
    }

    @Test
    void encrypt3WithoutCaEncryptsWithoutVerifyingEitherSide() throws Exception {
        TestPki.Issued selfish = pki.node("anything", pki.ca("Unrelated CA"));
        String[] cnf = {"encrypt=3", "ssl-cert=" + pki.cert("u.pem", selfish), "ssl-key=" + pki.key("u.key", selfish,
                TestPki.KeyForm.PKCS8)};
        TlsChannel joiner = channel(Role.JOINER, cnf);
        TlsChannel donor = channel(Role.DONOR, "encrypt=3", "ssl-cert=" + nodePem, "ssl-key=" + nodeKey);
        byte[] payload = data(1000);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            ourDonor(server.getLocalPort(), donor, Optional.empty(), payload);
            assertArrayEquals(payload, got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aDonorSpeakingCleartextToATlsJoinerIsToldApart() throws Exception {
        TlsChannel joiner = channel(Role.JOINER, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.getOutputStream().write("XBSTCK01 a cleartext mbstream".getBytes());
                org.sstorchestrator.states.SstException j = cause(got);
                assertEquals(ExitCode.EPIPE, j.code());
                assertTrue(j.getMessage().contains("the donor sent cleartext where a TLS handshake was expected")
                        && j.getMessage().contains("an mbstream"), j.getMessage());
            }
        }
    }

    @Test
    void aTlsDonorAgainstACleartextJoinerFailsInsteadOfSending() throws Exception {
        TlsChannel donor = channel(Role.DONOR, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> cleartext = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) { // a stock joiner with encrypt=0: mbstream -x fails on the hello
                    return s.getInputStream().readNBytes(5);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            org.sstorchestrator.states.SstException e = failure(() -> ourDonor(server.getLocalPort(), donor,
                    Optional.empty(), new byte[10]));
            assertEquals(ExitCode.EPIPE, e.code());
            assertTrue(e.getMessage().contains("does not speak TLS") || e.getMessage().contains("closed the connection during"),
                    e.getMessage());
            assertEquals(0x16, cleartext.get(30, TimeUnit.SECONDS)[0], "all it saw was a TLS hello");
        }
    }

    @Test
    void aStreamCutWithoutCloseNotifyIsAnErrorNotTheEndOfTheData() throws Exception {
        TlsChannel joiner = channel(Role.JOINER, enc4(nodePem, nodeKey, caPem));
        TlsChannel donor = channel(Role.DONOR, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            Transfer t = transfer(donor, plain, Direction.SEND, Optional.empty(), Optional.empty(), "t", new ArrayList<>());
            t.out().write(data(100_000));
            t.out().flush();
            plain.shutdownOutput(); // the TCP stream ends (FIN), TLS never said close_notify
            org.sstorchestrator.states.SstException j = cause(got);
            assertTrue(j.getMessage().contains("receiving failed: Remote host terminated the connection"),
                    j.getMessage());
            plain.close();
        }
    }

    @Test
    void anIntermediateChainFromTheCertificateFileAndAHashedCaDirectoryAreTrusted() throws Exception {
        TestPki.Issued inter = pki.intermediate("SST Intermediate", ca);
        TestPki.Issued leaf = pki.node("leaf.example", inter, "leaf.example");
        Path chain = pki.chain("leaf-chain.pem", leaf);
        Path key = pki.key("leaf.key", leaf, TestPki.KeyForm.PKCS8);
        Path cas = pki.caDirectory("cas", ca);
        TlsChannel joiner = channel(Role.JOINER, "encrypt=4", "ssl-cert=" + chain, "ssl-key=" + key, "ssl-capath=" + cas);
        TlsChannel donor = channel(Role.DONOR, enc4(nodePem, nodeKey, caPem));
        byte[] payload = data(5000);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            ourDonor(server.getLocalPort(), donor, Optional.of("leaf.example"), payload);
            assertArrayEquals(payload, got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void encrypt2TakesTheKeyFromTheCertificateFileAndEcKeysWork() throws Exception {
        TestPki.Issued ecNode = pki.node("ec.example", ca, TestPki.ec(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(9)), "ec.example");
        Path both = pki.combined("ec-both.pem", ecNode);
        TlsChannel joiner = channel(Role.JOINER, "encrypt=2", "ssl-cert=" + both, "ssl-ca=" + caPem);
        TlsChannel donor = channel(Role.DONOR, "encrypt=2", "ssl-cert=" + pki.combined("both.pem", node),
                "ssl-ca=" + caPem);
        byte[] payload = data(5000);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            ourDonor(server.getLocalPort(), donor, Optional.empty(), payload);
            assertArrayEquals(payload, got.get(30, TimeUnit.SECONDS));
        }
    }

    // ---- socat as the stock script runs it ----

    private static Process socat(Path out, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("socat"));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(
                out.resolveSibling(out.getFileName() + ".err").toFile())).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The stock joiner's socat (openssl-listen, one connection) against our donor, for each level. */
    @Test
    void ourDonorToTheStockJoinersSocatForEncrypt2And3And4() throws Exception {
        Path both = pki.combined("both-s.pem", node);
        record Case(String[] socat, String[] ours, Optional<String> name) {
        }
        List<Case> cases = List.of(
                new Case(new String[] {"cert=" + both, "cafile=" + caPem, "commonname="},
                        new String[] {"encrypt=2", "ssl-cert=" + both, "ssl-ca=" + caPem}, Optional.empty()),
                new Case(new String[] {"cert=" + nodePem, "key=" + nodeKey, "verify=0"},
                        new String[] {"encrypt=3", "ssl-cert=" + nodePem, "ssl-key=" + nodeKey}, Optional.empty()),
                new Case(new String[] {"cert=" + nodePem, "key=" + nodeKey, "cafile=" + caPem, "commonname="},
                        enc4(nodePem, nodeKey, caPem), Optional.of("node1.example")));
        for (Case c : cases) {
            int port = freePort();
            Path out = dir.resolve("socat-joiner-" + port + ".out");
            Process p = socat(out, "-u", "openssl-listen:" + port + ",reuseaddr," + String.join(",", c.socat()), "stdio");
            try {
                byte[] payload = data(2 << 20);
                connectWhenListening(port, () -> ourDonor(port, channel(Role.DONOR, c.ours()), c.name(), payload));
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), Files.readString(out.resolveSibling(out.getFileName() + ".err")));
                assertArrayEquals(payload, Files.readAllBytes(out), String.join(",", c.socat()));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    /** The stock donor's socat (openssl-connect, no-sni, commonname from the joiner's CN) against our joiner. */
    @Test
    void theStockDonorsSocatToOurJoinerForEncrypt2And3And4() throws Exception {
        Path both = pki.combined("both-d.pem", node);
        record Case(String[] ours, String socat) {
        }
        List<Case> cases = List.of(
                new Case(new String[] {"encrypt=2", "ssl-cert=" + both, "ssl-ca=" + caPem},
                        "cert=" + both + ",cafile=" + caPem + ",commonname="),
                new Case(new String[] {"encrypt=3", "ssl-cert=" + nodePem, "ssl-key=" + nodeKey},
                        "cert=" + nodePem + ",key=" + nodeKey + ",verify=0"),
                new Case(enc4(nodePem, nodeKey, caPem),
                        "cert=" + nodePem + ",key=" + nodeKey + ",cafile=" + caPem + ",commonname=node1.example"),
                new Case(new String[] {"encrypt=3", "ssl-cert=" + nodePem, "ssl-key=" + nodeKey, "ssl-ca=" + caPem},
                        "cert=" + nodePem + ",key=" + nodeKey + ",cafile=" + caPem + ",commonname=localhost"));
        for (Case c : cases) {
            TlsChannel joiner = channel(Role.JOINER, c.ours());
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                CompletableFuture<byte[]> got = ourJoiner(server, joiner);
                Path payload = Files.write(dir.resolve("payload-" + server.getLocalPort()), data(2 << 20));
                Process p = new ProcessBuilder("socat", "-u", "stdio", "openssl-connect:127.0.0.1:" + server.getLocalPort()
                        + ",no-sni=1," + c.socat()).redirectInput(payload.toFile()).redirectErrorStream(true).start();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                String log = new String(p.getInputStream().readAllBytes());
                assertEquals(0, p.exitValue(), c.socat() + ": " + log);
                assertArrayEquals(Files.readAllBytes(payload), got.get(30, TimeUnit.SECONDS), c.socat());
            }
        }
    }

    @Test
    void theStockDonorsNameCheckFailsAgainstOurJoinersCertificateAndNothingIsTakenForData() throws Exception {
        TlsChannel joiner = channel(Role.JOINER, enc4(nodePem, nodeKey, caPem));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = ourJoiner(server, joiner);
            Process p = new ProcessBuilder("socat", "-u", "stdio", "openssl-connect:127.0.0.1:" + server.getLocalPort()
                    + ",no-sni=1,cert=" + nodePem + ",key=" + nodeKey + ",cafile=" + caPem + ",commonname=wrong.example")
                    .redirectInput(ProcessBuilder.Redirect.from(nodePem.toFile())).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String log = new String(p.getInputStream().readAllBytes());
            assertEquals(1, p.exitValue(), log);
            assertTrue(log.contains("commonName does not match"), log);
            byte[] received;
            try {
                received = got.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                received = new byte[0]; // cut short: also nothing taken
            }
            assertEquals(0, received.length, "no byte of the donor's input arrived");
        }
    }

    private interface Io {
        void run() throws Exception;
    }

    /** socat -u openssl-listen serves one connection: wait for its port without connecting to it. */
    private static void connectWhenListening(int port, Io send) throws Exception {
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            try {
                send.run();
                return;
            } catch (WireException e) {
                if (!(e.getCause() instanceof java.net.ConnectException) || System.nanoTime() > deadline) {
                    throw e;
                }
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }
}
