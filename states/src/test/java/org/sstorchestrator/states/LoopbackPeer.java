package org.sstorchestrator.states;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The other node of a stage test, on the loopback: our own test code speaking the wire
 * protocol (plain TCP carrying mbstream bytes). As a joiner it listens and keeps what the
 * donor's stage sent; as a donor it connects to the joiner's stage and sends bytes.
 */
public final class LoopbackPeer implements AutoCloseable {

    private final ServerSocket server;
    private final CompletableFuture<byte[]> received = new CompletableFuture<>();

    private LoopbackPeer(ServerSocket server, long resetAfter) {
        this.server = server;
        Thread t = new Thread(() -> serve(resetAfter), "loopback-joiner");
        t.setDaemon(true);
        t.start();
    }

    /** A joiner listening on 127.0.0.1 that reads the first connection to its end. */
    public static LoopbackPeer joiner() throws IOException {
        return new LoopbackPeer(new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1")), -1);
    }

    /** A joiner that goes away (a TCP reset) once it has read {@code bytes}. */
    public static LoopbackPeer joinerResettingAfter(long bytes) throws IOException {
        return new LoopbackPeer(new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1")), bytes);
    }

    /** A joiner that starts listening on {@code port} only after {@code delayMs} (it is re-listening). */
    public static CompletableFuture<LoopbackPeer> joinerListeningLater(int port, long delayMs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(delayMs);
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", port), 8);
                return new LoopbackPeer(s, -1);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The bytes of the first connection, once the sender closed it (at most 10 s). */
    public byte[] received() throws Exception {
        return received.get(10, TimeUnit.SECONDS);
    }

    private void serve(long resetAfter) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[64 << 10];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                total += n;
                if (resetAfter >= 0 && total >= resetAfter) {
                    s.setSoLinger(true, 0); // close with a reset, as a joiner that died would
                    break;
                }
            }
            received.complete(out.toByteArray());
        } catch (IOException e) {
            received.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    // ---- a donor ----

    /** Connects from 127.0.0.1 to the joiner's {@code port}, sends {@code bytes} and closes. */
    public static CompletableFuture<Void> donorSends(int port, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            try (Socket s = connect("127.0.0.1", port); OutputStream out = s.getOutputStream()) {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Connects from 127.0.0.1, sends {@code bytes} and then falls silent with the connection
     * open (a donor that hangs); the caller closes the socket.
     */
    public static Socket donorSendsThenStalls(int port, byte[] bytes) throws IOException {
        Socket s = connect("127.0.0.1", port);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return s;
    }

    /** Connects to the joiner's {@code port} from another loopback address (127.0.0.2): a stranger. */
    public static Socket strangerConnects(int port) throws IOException {
        return connect("127.0.0.2", port);
    }

    private static Socket connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        return s;
    }
}
