package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.exec.Abort;

/**
 * Plain TCP between donor and joiner. The joiner listens on the advertised address only and
 * listens again at once for the second transfer; the donor retries its connect within a bound
 * instead of the stock script's fixed 10 s sleep between the transfers.
 */
public final class Transport {

    private static final int BUFFER = 1 << 20;
    private static final long RETRY_MS = 50;

    private Transport() {
    }

    public static ServerSocket listen(String host, int port, Abort abort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.setReceiveBufferSize(BUFFER);
            server.bind(new InetSocketAddress(host, port), 2);
            abort.register(server);
            return server;
        } catch (IOException e) {
            throw new SstException(ExitCode.EPIPE, "cannot listen on " + host + ":" + port + " (wsrep_sst_receive_address): "
                    + e.getMessage() + "; is another process using the port?", e);
        }
    }

    /** Waits for the donor; {@code timeout} zero waits for ever (until aborted). */
    public static Socket accept(ServerSocket server, Duration timeout, String what, Abort abort) {
        try {
            server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            Socket s = server.accept();
            tune(s);
            abort.register(s);
            return s;
        } catch (SocketTimeoutException e) {
            throw new SstException(ExitCode.EPIPE, "no donor connected for " + what + " within " + timeout.toSeconds()
                    + " s on " + server.getLocalSocketAddress() + "; raise [sst] sst-initial-timeout or check the donor's log");
        } catch (IOException e) {
            abort.check();
            throw new SstException(ExitCode.EPIPE, "accepting the donor's connection for " + what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Waits for {@code peer}'s connection: any other is refused (closed at once), logged and
     * handed to {@code refused}, and the wait goes on within the same bound. Without TLS and
     * the joiner's secret nothing else tells the donor's second connection from a stranger's
     * that races it to the port (issue 6).
     */
    public static Socket acceptFrom(ServerSocket server, java.net.InetAddress peer, Duration timeout,
                                    java.util.function.LongSupplier nanos, String what, Abort abort,
                                    java.util.function.Consumer<String> refused) {
        long deadline = nanos.getAsLong() + timeout.toNanos();
        while (true) {
            long left = timeout.isZero() ? 0 : Math.max(1, (deadline - nanos.getAsLong()) / 1_000_000);
            if (!timeout.isZero() && nanos.getAsLong() >= deadline) {
                throw new SstException(ExitCode.EPIPE, "no donor connected for " + what + " within " + timeout.toSeconds()
                        + " s on " + server.getLocalSocketAddress() + "; raise [sst] sst-initial-timeout or check the donor's log");
            }
            Socket s = accept(server, Duration.ofMillis(left), what, abort);
            java.net.InetAddress from = s.getInetAddress();
            if (peer == null || peer.equals(from)) {
                return s;
            }
            abort.unregister(s);
            closeQuietly(s);
            refused.accept(from.getHostAddress() + ":" + s.getPort());
        }
    }

    /** Connects, retrying while nothing listens yet (the joiner re-listening), for at most {@code bound}. */
    public static Socket connect(String host, int port, Duration bound, Abort abort) {
        return connect(host, port, bound, abort, System::nanoTime);
    }

    /** As above, timed by the run's own clock. */
    public static Socket connect(String host, int port, Duration bound, Abort abort, java.util.function.LongSupplier nanos) {
        long deadline = nanos.getAsLong() + bound.toNanos();
        IOException last = null;
        int attempts = 0;
        while (true) {
            abort.check();
            Socket s = new Socket();
            try {
                s.setSendBufferSize(BUFFER);
                abort.register(s);
                long left = Math.max(1, (deadline - nanos.getAsLong()) / 1_000_000);
                s.connect(new InetSocketAddress(host, port), (int) Math.min(left, 10_000));
                tune(s);
                return s;
            } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
                last = e;
                abort.unregister(s);
                closeQuietly(s);
            } catch (IOException e) {
                abort.unregister(s);
                closeQuietly(s);
                throw new SstException(ExitCode.EPIPE, "cannot connect to the joiner at " + host + ":" + port + ": " + e.getMessage(), e);
            }
            attempts++;
            if (nanos.getAsLong() > deadline) {
                throw new SstException(ExitCode.EPIPE, "the joiner at " + host + ":" + port + " did not accept a connection within "
                        + bound.toSeconds() + " s (" + attempts + " attempts, last: " + last.getMessage()
                        + "); raise [sst] sst-connect-timeout or check the joiner's log");
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SstException(ExitCode.INTERRUPTED, "interrupted while connecting to the joiner");
            }
        }
    }

    private static void tune(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        s.setKeepAlive(true);
    }

    public static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing left to do with it
        }
    }
}
