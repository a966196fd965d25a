package org.sstorchestrator.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A transfer opened from its declared chain, over a real loopback connection: the data's layers
 * in their order, opened when the data's end is first asked for; the count where the chain puts
 * it; every layer ended by the sender's finish; the connection registered while open and closed
 * once; a bound on the whole transfer.
 */
class ChainTest {

    /** A layer that flips every byte one way and back the other, and notes when it opens. */
    private static final class Flip implements StreamLayer {
        final List<String> opened = new ArrayList<>();

        @Override
        public String name() {
            return "flip";
        }

        @Override
        public OutputStream sending(OutputStream below) {
            opened.add("sending");
            return new FilterOutputStream(below) {
                @Override
                public void write(int b) throws IOException {
                    out.write(~b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    for (int i = 0; i < len; i++) {
                        write(b[off + i]);
                    }
                }
            };
        }

        @Override
        public InputStream receiving(InputStream below) {
            opened.add("receiving");
            return new FilterInputStream(below) {
                @Override
                public int read() throws IOException {
                    int b = in.read();
                    return b < 0 ? b : ~b & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    for (int i = 0; i < n; i++) {
                        b[off + i] = (byte) ~b[off + i];
                    }
                    return n;
                }
            };
        }
    }

    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    @Test
    void bothEndsDeclareTheSameChainAndTheDataArrivesWholeCountedBelowTheDataLayers() throws Exception {
        Flip sending = new Flip();
        Flip receiving = new Flip();
        byte[] payload = data(300_000);
        TestCancel cancel = new TestCancel();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
                try (Transfer t = Chain.over().then(Counting.WIRE).then(receiving).build().open(server.accept(),
                        Direction.RECEIVE, Cancel.NONE, Optional.empty())) {
                    byte[] all = t.in().readAllBytes();
                    assertEquals(all.length, t.wireBytes());
                    return all;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            cancel.register(plain);
            Transfer t = Chain.over().then(Counting.WIRE).then(sending).build().open(plain, Direction.SEND, cancel,
                    Optional.empty());
            assertEquals(List.of(), sending.opened, "the data's layers open with the data's end, not before");
            t.out().write(payload);
            t.finish();
            t.close();
            t.close();
            assertEquals(payload.length, t.wireBytes());
            assertTrue(plain.isClosed());
            assertEquals(List.of(), cancel.registered(), "closed and unregistered once");
            assertArrayEquals(payload, got.get(30, TimeUnit.SECONDS));
            assertEquals(List.of("sending"), sending.opened);
            assertEquals(List.of("receiving"), receiving.opened);
        }
    }

    @Test
    void aTransferThatOutlivesItsBoundFailsWithTheBoundsWords() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            Transfer t = Chain.over().then(Counting.WIRE).build().open(server.accept(), Direction.RECEIVE, Cancel.NONE,
                    Optional.of(new Chain.Bound(Duration.ofMillis(300), "the peer sent nothing whole in time")));
            peer.getOutputStream().write(1); // a byte, then silence: only the bound ends it
            WireException e = assertThrows(WireException.class, () -> {
                try {
                    t.in().readAllBytes();
                } catch (IOException cut) {
                    throw t.failure(cut, "receiving", "");
                }
            });
            assertEquals(WireException.Kind.BROKEN_LINK, e.kind());
            assertEquals("the peer sent nothing whole in time", e.getMessage());
            t.close();
        }
    }

    @Test
    void aFailureIsTheProgramsStopWhenItStoppedUsAndOtherwiseABrokenLinkSaidAsWhatFailed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket peer = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            TestCancel cancel = new TestCancel();
            try (Transfer t = Chain.over().build().open(server.accept(), Direction.RECEIVE, cancel, Optional.empty())) {
                RuntimeException e = t.failure(new IOException("Connection reset"), "receiving the data", "; check the peer");
                assertEquals("receiving the data failed: Connection reset; check the peer", e.getMessage());
                cancel.trigger(new WireException(WireException.Kind.BROKEN_LINK, "the peer died"));
                WireException stop = assertThrows(WireException.class, () -> t.failure(new IOException("closed"), "x", ""));
                assertEquals("the peer died", stop.getMessage());
                assertFalse(peer.isClosed());
            }
        }
    }
}
