package org.sstorchestrator.wire;

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
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A chain's coalesced writes gather what the layer above writes (TLS: a record at a time), and
 * never hold back what the other end is waiting for: before a read, on a flush, when full, at
 * the transfer's end.
 */
class CoalescingTest {

    /** Runs {@code body} with a transfer of ours (coalesced writes only) and the peer's plain end of one loopback connection. */
    private interface Pair {
        void run(Transfer ours, Socket peer) throws Exception;
    }

    private static void connected(Pair body) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket peer = server.accept();
             Transfer ours = Chain.over().then(Coalescing.WRITES).build().open(plain, Direction.SEND, Cancel.NONE,
                     Optional.empty())) {
            peer.setSoTimeout(300);
            body.run(ours, peer);
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    @Test
    void smallWritesWaitUntilSomethingIsReadThenGoOutInOrder() throws Exception {
        connected((ours, peer) -> {
            OutputStream out = ours.out();
            out.write(bytes(100, 1));
            out.write(bytes(200, 2));
            InputStream peerIn = peer.getInputStream();
            assertThrows(SocketTimeoutException.class, peerIn::read, "nothing left before a read, a flush or the end");
            peer.getOutputStream().write(42); // the peer answers only once it has our flight
            assertEquals(42, ours.in().read()); // reading sends what was gathered first
            byte[] got = peerIn.readNBytes(300);
            assertArrayEquals(bytes(100, 1), Arrays.copyOfRange(got, 0, 100));
            assertArrayEquals(bytes(200, 2), Arrays.copyOfRange(got, 100, 300));
        });
    }

    @Test
    void aFlushSendsTheEndOfAFlightThatNothingIsReadAfter() throws Exception {
        connected((ours, peer) -> {
            ours.out().write(bytes(50, 3));
            ours.out().flush();
            assertArrayEquals(bytes(50, 3), peer.getInputStream().readNBytes(50));
        });
    }

    @Test
    void aFullSegmentGoesOutWithoutWaiting() throws Exception {
        connected((ours, peer) -> {
            OutputStream out = ours.out();
            for (int i = 0; i < Buffers.SEGMENT / 16384; i++) {
                out.write(bytes(16384, 4));
            }
            assertEquals(Buffers.SEGMENT, peer.getInputStream().readNBytes(Buffers.SEGMENT).length);
        });
    }

    @Test
    void theEndOfTheTransferSendsTheRestFirstSoTheLastRecordIsNeverLost() throws Exception {
        connected((ours, peer) -> {
            ours.out().write(bytes(70, 5));
            ours.finish();
            ours.close();
            assertArrayEquals(bytes(70, 5), peer.getInputStream().readAllBytes());
        });
        connected((ours, peer) -> {
            ours.out().write(bytes(80, 6));
            ours.close();
            assertArrayEquals(bytes(80, 6), peer.getInputStream().readAllBytes());
        });
    }
}
