package org.sstorchestrator.wire.tcp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import jdk.net.ExtendedSocketOptions;
import org.sstorchestrator.wire.WireException;

/**
 * What {@link SocketOptions} (the SST's {@code [sst] sockopt}) do to our sockets, where socat would have applied them: the
 * joiner's listening socket (bind, pf, backlog, reuseaddr, reuseport, rcvbuf, before bind so
 * that accepted connections inherit the window) and both ends' connections (keepalive and its
 * timers, nodelay, buffers, linger, tos). Without sockopt our defaults stay: TCP_NODELAY and
 * keepalive on, 1 MiB buffers. An option the platform lacks is an error naming it, never a
 * silent no-op.
 */
final class SocketTuning {

    private SocketTuning() {
    }

    /**
     * The address to listen on: bind= when given (its host, on the SST port), else the one the
     * joiner chose; pf= picks the family (the wildcard of that family, or the host's address of it).
     */
    static InetSocketAddress listenAddress(InetSocketAddress at, SocketOptions o) {
        int port = at.getPort();
        if (o.bind().isPresent()) {
            String[] hp = hostAndPort(o.bind().get(), o.setting());
            if (hp[1] != null) {
                throw new WireException(WireException.Kind.SETTING, o.setting() + " bind=" + o.bind().get() + " names a port;"
                        + " the joiner listens on the SST port of its address (" + port + "): give bind= a host only");
            }
            return new InetSocketAddress(resolve(hp[0], o), port);
        }
        if (o.family().isEmpty()) {
            return at;
        }
        boolean v4 = o.family().get() == SocketOptions.Family.IPV4;
        InetAddress a = at.getAddress();
        if (a != null && a.isAnyLocalAddress()) {
            try {
                return new InetSocketAddress(InetAddress.getByName(v4 ? "0.0.0.0" : "::"), port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        if (a != null && (a instanceof Inet4Address) == v4) {
            return at;
        }
        return new InetSocketAddress(resolve(at.getHostString(), o), port);
    }

    static void listening(ServerSocket server, SocketOptions o, int defaultBuffer) throws IOException {
        server.setReuseAddress(o.reuseAddress().orElse(true));
        if (o.reusePort().orElse(false)) {
            set(server, StandardSocketOptions.SO_REUSEPORT, true, "reuseport", o);
        }
        server.setReceiveBufferSize(o.receiveBuffer().orElse(defaultBuffer));
    }

    /** Before the donor's connect: buffers, and bind= as its local end. */
    static void connecting(Socket s, SocketOptions o, int defaultBuffer) throws IOException {
        s.setSendBufferSize(o.sendBuffer().orElse(defaultBuffer));
        if (o.receiveBuffer().isPresent()) {
            s.setReceiveBufferSize(o.receiveBuffer().getAsInt());
        }
        if (o.reuseAddress().isPresent()) {
            s.setReuseAddress(o.reuseAddress().get());
        }
        if (o.bind().isPresent()) {
            String[] hp = hostAndPort(o.bind().get(), o.setting());
            s.setReuseAddress(o.reuseAddress().orElse(true));
            s.bind(new InetSocketAddress(resolve(hp[0], o), hp[1] == null ? 0 : Integer.parseInt(hp[1])));
        }
    }

    /** A connected socket, either end. */
    static void connected(Socket s, SocketOptions o) throws IOException {
        s.setTcpNoDelay(o.noDelay().orElse(true));
        s.setKeepAlive(o.keepAlive().orElse(true));
        if (o.keepIdle().isPresent()) {
            set(s, ExtendedSocketOptions.TCP_KEEPIDLE, o.keepIdle().getAsInt(), "keepidle", o);
        }
        if (o.keepInterval().isPresent()) {
            set(s, ExtendedSocketOptions.TCP_KEEPINTERVAL, o.keepInterval().getAsInt(), "keepintvl", o);
        }
        if (o.keepCount().isPresent()) {
            set(s, ExtendedSocketOptions.TCP_KEEPCOUNT, o.keepCount().getAsInt(), "keepcnt", o);
        }
        if (o.sendBuffer().isPresent()) {
            s.setSendBufferSize(o.sendBuffer().getAsInt());
        }
        if (o.lingerSeconds().isPresent()) {
            s.setSoLinger(true, o.lingerSeconds().getAsInt());
        }
        if (o.typeOfService().isPresent()) {
            s.setTrafficClass(o.typeOfService().getAsInt());
        }
    }

    /** {@code host} as an address of the family pf= asks for (any family without it). */
    static InetAddress resolve(String host, SocketOptions o) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            if (o.family().isEmpty()) {
                return InetAddress.getByName(h);
            }
            Class<?> want = o.family().get() == SocketOptions.Family.IPV4 ? Inet4Address.class : Inet6Address.class;
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (want.isInstance(a)) {
                    return a;
                }
            }
            throw new WireException(WireException.Kind.SETTING, o.setting() + " pf=" + (want == Inet4Address.class ? "ip4"
                    : "ip6") + ": '" + h + "' has no address of that family; remove pf= or use an address of that family");
        } catch (UnknownHostException e) {
            throw new WireException(WireException.Kind.BROKEN_LINK, "cannot resolve '" + h + "': " + e.getMessage(), e);
        }
    }

    /** "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 address. */
    static String[] hostAndPort(String v) {
        return hostAndPort(v, "[sst] sockopt");
    }

    static String[] hostAndPort(String v, String setting) {
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            String host = v.substring(0, close + 1);
            String rest = v.substring(close + 1);
            return new String[] {host, rest.startsWith(":") ? port(v, rest.substring(1), setting) : null};
        }
        int colon = v.indexOf(':');
        if (colon >= 0 && colon == v.lastIndexOf(':')) {
            return new String[] {v.substring(0, colon), port(v, v.substring(colon + 1), setting)};
        }
        return new String[] {v, null};
    }

    private static String port(String whole, String p, String setting) {
        if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65535) {
            throw new WireException(WireException.Kind.SETTING, setting + " bind=" + whole + ": '" + p + "' is not a port");
        }
        return p;
    }

    private static <T> void set(Socket s, SocketOption<T> option, T value, String name, SocketOptions o) throws IOException {
        if (!s.supportedOptions().contains(option)) {
            throw unsupported(name, o);
        }
        s.setOption(option, value);
    }

    private static <T> void set(ServerSocket s, SocketOption<T> option, T value, String name, SocketOptions o)
            throws IOException {
        if (!s.supportedOptions().contains(option)) {
            throw unsupported(name, o);
        }
        s.setOption(option, value);
    }

    private static WireException unsupported(String name, SocketOptions o) {
        return new WireException(WireException.Kind.SETTING, o.setting() + " " + name + " is not supported on this platform;"
                + " remove it");
    }
}
