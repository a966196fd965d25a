package org.sstorchestrator.states.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The donor's socket under JSSE gathers record-sized writes, and never holds back what the
 * other end is waiting for: before a read, at {@code send}, when full, at shutdown and close.
 */
class CoalescingSocketTest {

    /** Runs {@code body} with our gathering end and the peer's plain end of one loopback connection. */
    private interface Pair {
        void run(CoalescingSocket ours, Socket peer) throws Exception;
    }

    private static void connected(Pair body) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept()) {
            peer.setSoTimeout(300);
            body.run(new CoalescingSocket(plain), peer);
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    @Test
    void smallWritesAndTheirFlushesWaitUntilSomethingIsReadThenGoOutInOrder() throws Exception {
        connected((ours, peer) -> {
            OutputStream out = ours.getOutputStream();
            out.write(bytes(100, 1));
            out.flush(); // JSSE flushes every record: not yet
            out.write(bytes(200, 2));
            out.flush();
            InputStream peerIn = peer.getInputStream();
            assertThrows(SocketTimeoutException.class, peerIn::read, "nothing left before a read or the end");
            peer.getOutputStream().write(42); // the peer answers only once it has our flight
            assertEquals(42, ours.getInputStream().read()); // reading sends what was gathered first
            byte[] got = peerIn.readNBytes(300);
            assertArrayEquals(bytes(100, 1), Arrays.copyOfRange(got, 0, 100));
            assertArrayEquals(bytes(200, 2), Arrays.copyOfRange(got, 100, 300));
        });
    }

    @Test
    void sendWritesOutTheEndOfAHandshakeThatNothingIsReadAfter() throws Exception {
        connected((ours, peer) -> {
            ours.getOutputStream().write(bytes(50, 3));
            ours.send();
            assertArrayEquals(bytes(50, 3), peer.getInputStream().readNBytes(50));
        });
    }

    @Test
    void aFullBufferGoesOutWithoutWaiting() throws Exception {
        connected((ours, peer) -> {
            OutputStream out = ours.getOutputStream();
            for (int i = 0; i < CoalescingSocket.GATHER / 16384; i++) {
                out.write(bytes(16384, 4));
            }
            assertEquals(CoalescingSocket.GATHER, peer.getInputStream().readNBytes(CoalescingSocket.GATHER).length);
        });
    }

    @Test
    void shutdownAndCloseSendTheRestFirstSoTheLastRecordIsNeverLost() throws Exception {
        connected((ours, peer) -> {
            ours.getOutputStream().write(bytes(70, 5));
            ours.shutdownOutput();
            assertArrayEquals(bytes(70, 5), peer.getInputStream().readAllBytes());
        });
        connected((ours, peer) -> {
            ours.getOutputStream().write(bytes(80, 6));
            ours.close();
            assertArrayEquals(bytes(80, 6), peer.getInputStream().readAllBytes());
        });
    }
}
