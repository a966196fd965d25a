package org.sstorchestrator.wire.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.wire.TestCancel;
import org.sstorchestrator.wire.WireException;
import org.sstorchestrator.wire.Copier;

class TcpTest {

    private static final Tcp.Names JOINER = new Tcp.Names("joiner", "[sst] sst-connect-timeout", "the SST address");
    private static final Tcp.Names DONOR = new Tcp.Names("donor", "[sst] sst-initial-timeout", "the SST address");

    private static ServerSocket listen(int port, TestCancel abort) {
        return Tcp.listen(new java.net.InetSocketAddress("127.0.0.1", port), abort, SocketOptions.none(), DONOR);
    }

    private static Socket accept(ServerSocket server, Duration timeout, String what, TestCancel abort) {
        return Tcp.acceptFrom(server, null, timeout, System::nanoTime, what, abort, r -> { }, SocketOptions.none(), DONOR);
    }

    private static Socket connect(int port, Duration bound, TestCancel abort) {
        return Tcp.connect("127.0.0.1", port, bound, abort, System::nanoTime, SocketOptions.none(), JOINER);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDonorRetriesUntilTheJoinerListensAgain() throws Exception {
        int port = freePort();
        TestCancel abort = new TestCancel();
        CompletableFuture<Socket> connected = CompletableFuture.supplyAsync(() ->
                connect(port, Duration.ofSeconds(10), abort));
        Thread.sleep(300); // nothing listens yet: the stock donor sleeps 10 s here
        try (ServerSocket server = listen(port, abort);
             Socket accepted = accept(server, Duration.ofSeconds(5), "t", abort);
             Socket s = connected.get()) {
            assertTrue(s.isConnected() && accepted.isConnected());
        }
    }

    @Test
    void aJoinerThatNeverListensFailsTheConnectWithinItsBound() throws Exception {
        int port = freePort();
        long t0 = System.nanoTime();
        WireException e = assertThrows(WireException.class, () -> connect(port, Duration.ofMillis(500), new TestCancel()));
        assertEquals(WireException.Kind.BROKEN_LINK, e.kind());
        assertTrue(e.getMessage().contains("sst-connect-timeout"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    void noDonorWithinTheInitialTimeoutIsExit32NamingTheSetting() throws Exception {
        TestCancel abort = new TestCancel();
        try (ServerSocket server = listen(0, abort)) {
            WireException e = assertThrows(WireException.class, () -> accept(server, Duration.ofMillis(200), "transfer 1", abort));
            assertEquals(WireException.Kind.BROKEN_LINK, e.kind());
            assertTrue(e.getMessage().contains("sst-initial-timeout"), e.getMessage());
        }
    }

    @Test
    void aStalledPeerIsCutOffByTheIdleTimeout() throws Exception {
        TestCancel abort = new TestCancel();
        try (ServerSocket server = listen(0, abort);
             Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket s = accept(server, Duration.ofSeconds(5), "t", abort)) {
            client.getOutputStream().write(new byte[10]); // then silence, connection left open
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            WireException e = assertThrows(WireException.class, () -> Copier.copy(in, OutputStream.nullOutputStream(),
                    new Copier.Stall(Duration.ofSeconds(1), 0, "[sst] sst-idle-timeout", "[sst] sst-min-rate"),
                    Copier.Network.SOURCE, "receiving the backup", abort, new AtomicLong(), n -> { }, System::nanoTime));
            assertEquals(WireException.Kind.BROKEN_LINK, e.kind());
            assertTrue(e.getMessage().contains("stalled") && e.getMessage().contains("sst-idle-timeout"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        }
    }
}
