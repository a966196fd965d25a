package org.sstorchestrator.states.wire;

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
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.exec.Abort;

class TransportTest {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDonorRetriesUntilTheJoinerListensAgain() throws Exception {
        int port = freePort();
        Abort abort = new Abort();
        CompletableFuture<Socket> connected = CompletableFuture.supplyAsync(() ->
                Transport.connect("127.0.0.1", port, Duration.ofSeconds(10), abort));
        Thread.sleep(300); // nothing listens yet: the stock donor sleeps 10 s here
        try (ServerSocket server = Transport.listen("127.0.0.1", port, abort);
             Socket accepted = Transport.acceptFrom(server, null, Duration.ofSeconds(5), System::nanoTime, "t", abort, r -> { });
             Socket s = connected.get()) {
            assertTrue(s.isConnected() && accepted.isConnected());
        }
    }

    @Test
    void aJoinerThatNeverListensFailsTheConnectWithinItsBound() throws Exception {
        int port = freePort();
        long t0 = System.nanoTime();
        SstException e = assertThrows(SstException.class,
                () -> Transport.connect("127.0.0.1", port, Duration.ofMillis(500), new Abort()));
        assertEquals(ExitCode.EPIPE, e.code());
        assertTrue(e.getMessage().contains("sst-connect-timeout"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    void noDonorWithinTheInitialTimeoutIsExit32NamingTheSetting() throws Exception {
        Abort abort = new Abort();
        try (ServerSocket server = Transport.listen("127.0.0.1", 0, abort)) {
            SstException e = assertThrows(SstException.class,
                    () -> Transport.acceptFrom(server, null, Duration.ofMillis(200), System::nanoTime, "transfer 1", abort, r -> { }));
            assertEquals(ExitCode.EPIPE, e.code());
            assertTrue(e.getMessage().contains("sst-initial-timeout"), e.getMessage());
        }
    }

    @Test
    void aStalledPeerIsCutOffByTheIdleTimeout() throws Exception {
        Abort abort = new Abort();
        try (ServerSocket server = Transport.listen("127.0.0.1", 0, abort);
             Socket client = new Socket("127.0.0.1", server.getLocalPort());
             Socket s = Transport.acceptFrom(server, null, Duration.ofSeconds(5), System::nanoTime, "t", abort, r -> { })) {
            client.getOutputStream().write(new byte[10]); // then silence, connection left open
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            SstException e = assertThrows(SstException.class, () -> Copier.copy(in, OutputStream.nullOutputStream(),
                    Duration.ofSeconds(1), "receiving the backup", abort, new AtomicLong()));
            assertEquals(ExitCode.EPIPE, e.code());
            assertTrue(e.getMessage().contains("stalled") && e.getMessage().contains("sst-idle-timeout"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        }
    }
}
