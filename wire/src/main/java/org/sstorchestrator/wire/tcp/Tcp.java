package org.sstorchestrator.wire.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.sstorchestrator.wire.Buffers;
import org.sstorchestrator.wire.Cancel;
import org.sstorchestrator.wire.WireException;
import org.sstorchestrator.wire.WireException.Kind;

/**
 * The socket under a transfer's chain: plain TCP between two nodes, tuned by
 * {@link SocketOptions}. The receiving side listens on the advertised address when it is this
 * host's, else on every interface ({@link #listenOn}), and accepts from the one peer it expects
 * ({@link #acceptFrom}); the sending side retries its connect within a bound while nothing
 * listens yet ({@link #connect}). Failures are broken links, said with the program's
 * {@link Names} for the peer and the settings.
 */
public final class Tcp {

    private static final int BUFFER = Buffers.COPY;
    private static final long RETRY_MS = 50;
    /** How often a waiting accept looks at the run's clock (and so at its bound). */
    private static final int ACCEPT_SLICE_MS = 200;

    /**
     * How failures name things in the program's terms: the other node ("donor"), the setting that
     * bounds a wait for it ("[sst] sst-initial-timeout"), the setting that gives the address
     * listened on ("wsrep_sst_receive_address").
     */
    public record Names(String peer, String bound, String address) {
    }

    private Tcp() {
    }

    /** Listens at {@code given}, or where the options' bind= and pf= say ({@link SocketTuning}). */
    public static ServerSocket listen(InetSocketAddress given, Cancel abort, SocketOptions options, Names names) {
        InetSocketAddress at = SocketTuning.listenAddress(given, options);
        try {
            ServerSocket server = new ServerSocket();
            SocketTuning.listening(server, options, BUFFER);
            server.bind(at, options.backlog().orElse(2));
            abort.register(server);
            return server;
        } catch (IOException e) {
            throw new WireException(Kind.BROKEN_LINK, "cannot listen on " + shown(at) + " (" + names.address() + "): "
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
     * Waits for {@code peer}'s connection (null: anyone's; a zero timeout waits until stopped): any other is refused (closed at once),
     * logged and handed to {@code refused}, and the wait goes on within the same bound. Without TLS
     * and the joiner's secret nothing else tells the donor's second connection from a stranger's
     * that races it to the port (issue 6). The bound is kept by {@code nanos} (the run's clock),
     * looked at between short accept slices. The connection is registered with {@code abort}.
     */
    public static Socket acceptFrom(ServerSocket server, InetAddress peer, Duration timeout, LongSupplier nanos, String what,
                                    Cancel abort, Consumer<String> refused, SocketOptions options, Names names) {
        long deadline = nanos.getAsLong() + timeout.toNanos();
        while (true) {
            if (!timeout.isZero() && nanos.getAsLong() >= deadline) {
                throw new WireException(Kind.BROKEN_LINK, "no " + names.peer() + " connected for " + what + " within "
                        + timeout.toSeconds() + " s on " + server.getLocalSocketAddress() + "; raise " + names.bound()
                        + " or check the " + names.peer() + "'s log");
            }
            Socket s = acceptSlice(server, what, abort, options, names);
            if (s == null) {
                continue;
            }
            InetAddress from = s.getInetAddress();
            if (peer == null || peer.equals(from)) {
                return s;
            }
            abort.unregister(s);
            closeQuietly(s);
            refused.accept(from.getHostAddress() + ":" + s.getPort());
        }
    }

    /** One accept of at most ACCEPT_SLICE_MS; null if nobody came in that time. */
    private static Socket acceptSlice(ServerSocket server, String what, Cancel abort, SocketOptions options, Names names) {
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
            throw new WireException(Kind.BROKEN_LINK, "accepting the " + names.peer() + "'s connection for " + what
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Connects, retrying while nothing listens yet (the peer re-listening), for at most
     * {@code bound} by {@code nanos}; the options' bind= as our end, pf= choosing the peer's
     * address family, connect-timeout= bounding each attempt (10 s otherwise), and the rest on
     * the connection, which is registered with {@code abort}.
     */
    public static Socket connect(String host, int port, Duration bound, Cancel abort, LongSupplier nanos,
                                 SocketOptions options, Names names) {
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
                throw new WireException(Kind.BROKEN_LINK, "cannot connect to the " + names.peer() + " at " + host + ":" + port
                        + ": " + e.getMessage(), e);
            }
            attempts++;
            if (nanos.getAsLong() > deadline) {
                throw new WireException(Kind.BROKEN_LINK, "the " + names.peer() + " at " + host + ":" + port + " did not accept"
                        + " a connection within " + bound.toSeconds() + " s (" + attempts + " attempts, last: "
                        + last.getMessage() + "); raise " + names.bound() + " or check the " + names.peer() + "'s log");
            }
            try {
                Thread.sleep(RETRY_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WireException(Kind.INTERRUPTED, "interrupted while connecting to the " + names.peer());
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
