package org.sstorchestrator.persistence;

import java.nio.file.Path;

/**
 * Where a node's own server listens for us: its Unix socket (what mysqld passes an SST as
 * --socket, or [client] socket), else TCP on a host and port. Never a password: that is given
 * to {@link ClusterStore#open} alone, and reaches nothing but the driver.
 */
public record ClusterEndpoint(Path socket, String host, int port) {

    public static ClusterEndpoint socket(Path socket) {
        return new ClusterEndpoint(socket, null, 0);
    }

    public static ClusterEndpoint tcp(String host, int port) {
        return new ClusterEndpoint(null, host, port);
    }

    /**
     * A Unix socket, or TCP to a loopback address: the bytes never leave this machine, and
     * the connection goes without TLS. To any other host the driver's default holds (TLS).
     */
    boolean local() {
        if (socket != null) {
            return true;
        }
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    /** The driver's URL: no user, no password; the socket goes in the properties, never parsed from a URL. */
    String url() {
        return socket != null ? "jdbc:mariadb://localhost/" : "jdbc:mariadb://" + hostInUrl() + ":" + port + "/";
    }

    private String hostInUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    @Override
    public String toString() {
        return socket != null ? socket.toString() : hostInUrl() + ":" + port;
    }
}
