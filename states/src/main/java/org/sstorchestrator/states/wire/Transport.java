package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.SockOpts;
import org.sstorchestrator.states.exec.Abort;

/**
 * Plain TCP between donor and joiner. The joiner listens on the advertised address when it is
 * this host's, else on every interface ({@link #listenOn}), and listens again at once for the
 * second transfer; the donor retries its connect within a bound
 * instead of the stock script's fixed 10 s sleep between the transfers.
 */
public final class Transport {

    private static final int BUFFER = 1 << 20;
    private static final long RETRY_MS = 50;
    /** How often a waiting accept looks at the run's clock (and so at its bound). */
    private static final int ACCEPT_SLICE_MS = 200;

    private Transport() {
    }

    public static ServerSocket listen(String host, int port, Abort abort) {
        return listen(new InetSocketAddress(host, port), abort);
    }

    public static ServerSocket listen(InetSocketAddress at, Abort abort) {
        return listen(at, abort, SockOpts.none());
    }

    /** As above, with {@code [sst] sockopt} applied: its bind= and pf= choose the address ({@link SocketTuning}). */
    public static ServerSocket listen(InetSocketAddress given, Abort abort, SockOpts options) {
        InetSocketAddress at = SocketTuning.listenAddress(given, options);
        try {
            ServerSocket server = new ServerSocket();
            SocketTuning.listening(server, options, BUFFER);
            server.bind(at, options.backlog().orElse(2));
            abort.register(server);
            return server;
        } catch (IOException e) {
            throw new SstException(ExitCode.EPIPE, "cannot listen on " + shown(at) + " (wsrep_sst_receive_address): "
                    + e.getMessage() + "; is another process using the port?", e);
        }
    }

    private static String shown(InetSocketAddress at) {
        String host = at.getAddress() == null ? at.getHostString() : at.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + at.getPort();
    }

    /**
     * Where the joiner listens for the address it advertises, and why not there alone
     * ({@code why} null: there alone). An address of this host (an interface's, or loopback)
     * is listened on alone. Anything else is listened for on every interface, as the stock
     * script's socat always listens: an address behind a NAT or a container's port mapping
     * cannot be bound here, and a name may resolve here to another address than the donor
     * reaches (Debian maps the host name to 127.0.1.1). Transfer 2 is accepted from the donor
     * of transfer 1 alone either way.
     */
    public record ListenOn(InetSocketAddress address, String why) {
    }

    public static ListenOn listenOn(String host, int port) {
        InetAddress literal = literal(host);
        if (literal != null && isLocal(literal)) {
            return new ListenOn(new InetSocketAddress(literal, port), null);
        }
        return new ListenOn(new InetSocketAddress(port), literal == null
                ? "it is a name, which the donor may resolve to another address than this host does"
                : "it is not an address of this host (behind a NAT, or a container's mapped port?)");
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    /** The address a literal (IPv4 dotted, or IPv6 as in brackets) stands for, without any name lookup; else null. */
    private static InetAddress literal(String host) {
        if (!IPV4.matcher(host).matches() && !host.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: parsed, never looked up
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return java.net.NetworkInterface.getByInetAddress(a) != null;
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    /**
     * Waits for {@code peer}'s connection (null: anyone's; a zero timeout waits until aborted): any other is refused (closed at once),
     * logged and handed to {@code refused}, and the wait goes on within the same bound. Without TLS
     * and the joiner's secret nothing else tells the donor's second connection from a stranger's
     * that races it to the port (issue 6). The bound is kept by {@code nanos} (the run's clock),
     * looked at between short accept slices.
     */
    public static Socket acceptFrom(ServerSocket server, java.net.InetAddress peer, Duration timeout,
                                    java.util.function.LongSupplier nanos, String what, Abort abort,
                                    java.util.function.Consumer<String> refused) {
        return acceptFrom(server, peer, timeout, nanos, what, abort, refused, SockOpts.none());
    }

    /** As above, the connection tuned by {@code [sst] sockopt}. */
    public static Socket acceptFrom(ServerSocket server, java.net.InetAddress peer, Duration timeout,
                                    java.util.function.LongSupplier nanos, String what, Abort abort,
                                    java.util.function.Consumer<String> refused, SockOpts options) {
        long deadline = nanos.getAsLong() + timeout.toNanos();
        while (true) {
            if (!timeout.isZero() && nanos.getAsLong() >= deadline) {
                throw new SstException(ExitCode.EPIPE, "no donor connected for " + what + " within " + timeout.toSeconds()
                        + " s on " + server.getLocalSocketAddress() + "; raise [sst] sst-initial-timeout or check the donor's log");
            }
            Socket s = acceptSlice(server, what, abort, options);
            if (s == null) {
                continue;
            }
            java.net.InetAddress from = s.getInetAddress();
            if (peer == null || peer.equals(from)) {
                return s;
            }
            abort.unregister(s);
            closeQuietly(s);
            refused.accept(from.getHostAddress() + ":" + s.getPort());
        }
    }

    /** One accept of at most ACCEPT_SLICE_MS; null if nobody came in that time. */
    private static Socket acceptSlice(ServerSocket server, String what, Abort abort, SockOpts options) {
        try {
            server.setSoTimeout(ACCEPT_SLICE_MS);
            Socket s = server.accept();
            SocketTuning.connected(s, options);
            abort.register(s);
            return s;
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            abort.check();
            throw new SstException(ExitCode.EPIPE, "accepting the donor's connection for " + what + " failed: " + e.getMessage(), e);
        }
    }

    /** Connects, retrying while nothing listens yet (the joiner re-listening), for at most {@code bound}. */
    public static Socket connect(String host, int port, Duration bound, Abort abort) {
        return connect(host, port, bound, abort, System::nanoTime);
    }

    /** As above, timed by the run's own clock. */
    public static Socket connect(String host, int port, Duration bound, Abort abort, java.util.function.LongSupplier nanos) {
        return connect(host, port, bound, abort, nanos, SockOpts.none());
    }

    /**
     * As above, with {@code [sst] sockopt}: its bind= as our end, pf= choosing the joiner's
     * address family, connect-timeout= bounding each attempt (10 s otherwise), and the rest on
     * the connection.
     */
    public static Socket connect(String host, int port, Duration bound, Abort abort, java.util.function.LongSupplier nanos,
                                 SockOpts options) {
        InetAddress target = SocketTuning.resolve(host, options);
        long perAttempt = options.connectTimeout().map(Duration::toMillis).filter(ms -> ms > 0).orElse(10_000L);
        long deadline = nanos.getAsLong() + bound.toNanos();
        IOException last = null;
        int attempts = 0;
        while (true) {
            abort.check();
            Socket s = new Socket();
            try {
                abort.register(s);
                SocketTuning.connecting(s, options, BUFFER);
                long left = Math.max(1, (deadline - nanos.getAsLong()) / 1_000_000);
                s.connect(new InetSocketAddress(target, port), (int) Math.min(left, perAttempt));
                SocketTuning.connected(s, options);
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
