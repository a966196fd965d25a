package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.run.SstContext;

/**
 * Listen: something listens before mysqld is told {@code ready}: on the advertised address
 * alone when it is this host's, otherwise (NAT, a container, a name; issue 9) on every
 * interface, as the stock script's socat always does, saying so.
 */
class ListenTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void listenListensOnTheAdvertisedAddressOnlyAndThenPrintsReadyWithSstVersion1() throws Exception {
        int port = freePort();
        SstContext ctx = f.joiner("--address", "127.0.0.1:" + port);

        assertEquals(Stage.OK, new Listen().run(ctx));

        ServerSocket server = ctx.facts().get(Listening.class).server();
        assertEquals(port, server.getLocalPort());
        assertEquals(InetAddress.getByName("127.0.0.1"), server.getInetAddress(), "not the wildcard address");
        assertEquals(List.of("ready 127.0.0.1:" + port + "/xtrabackup_sst//1"), f.printed());
        assertEquals("127.0.0.1:" + port, f.recorder.attributes.get("listen"));
        try (Socket donor = new Socket("127.0.0.1", port)) {
            assertTrue(donor.isConnected(), "a donor told 'ready' can connect");
        } finally {
            server.close();
        }
    }

    @Test
    void theReadyLineKeepsTheModuleAndLsnMysqldGave() throws Exception {
        int port = freePort();
        SstContext ctx = f.joiner("--address", "127.0.0.1:" + port + "/xtrabackup_sst/1234567");

        new Listen().run(ctx);

        assertEquals(List.of("ready 127.0.0.1:" + port + "/xtrabackup_sst/1234567/1"), f.printed());
        ctx.facts().get(Listening.class).server().close();
    }

    @Test
    void aPortAnotherProcessHoldsIsExit32AndReadyIsNeverPrinted() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            SstContext ctx = f.joiner("--address", "127.0.0.1:" + taken.getLocalPort());

            SstException e = failsWith(ExitCode.EPIPE, () -> new Listen().run(ctx));

            assertTrue(e.getMessage().contains("is another process using the port?"), e.getMessage());
            assertEquals(List.of(), f.printed(), "a donor told 'ready' would connect to the other process");
            assertFalse(ctx.facts().has(Listening.class));
        }
    }

    @Test
    void anAbortClosesTheListeningSocketSoABlockedAcceptReturns() throws Exception {
        SstContext ctx = f.joiner("--address", "127.0.0.1:" + freePort());
        new Listen().run(ctx);

        ctx.abort.trigger(new SstException(ExitCode.INTERRUPTED, "TERM"));

        assertTrue(ctx.facts().get(Listening.class).server().isClosed());
    }

    @Test
    void anAddressThatIsNotThisHostsIsListenedForOnEveryInterfaceAndAdvertisedAsGiven() throws Exception {
        int port = freePort();
        SstContext ctx = f.joiner("--address", "192.0.2.7:" + port); // TEST-NET-1: behind a NAT, say

        assertEquals(Stage.OK, new Listen().run(ctx));

        ServerSocket server = ctx.facts().get(Listening.class).server();
        try (Socket donor = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertTrue(donor.isConnected(), "the donor reaches the translated address");
        } finally {
            server.close();
        }
        assertTrue(server.getInetAddress().isAnyLocalAddress(), server.getInetAddress().toString());
        assertEquals(List.of("ready 192.0.2.7:" + port + "/xtrabackup_sst//1"), f.printed());
        assertEquals("*:" + port, f.recorder.attributes.get("listen"));
    }

    @Test
    void anIpv6LoopbackIsListenedOnAloneAndAdvertisedInBrackets() throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackUsable(), "IPv6 is not available here: ::1 cannot be bound");
        int port = freePort();
        SstContext ctx = f.joiner("--address", "[::1]:" + port);

        new Listen().run(ctx);

        try (ServerSocket server = ctx.facts().get(Listening.class).server();
             Socket donor = new Socket("::1", port)) {
            assertEquals(InetAddress.getByName("::1"), server.getInetAddress());
            assertTrue(donor.isConnected());
        }
        assertEquals(List.of("ready [::1]:" + port + "/xtrabackup_sst//1"), f.printed());
    }

    /** Whether this machine can bind ::1 (some CI containers run without IPv6). */
    private static boolean ipv6LoopbackUsable() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new java.net.InetSocketAddress("::1", 0));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
