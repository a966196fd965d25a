package org.sstorchestrator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The network between donor and joiner, made to fail: a loopback TCP relay to the joiner that
 * passes the donor's first connection (transfer 1) whole and, on the second (the backup
 * stream), cuts after a number of bytes. {@link Cut#SILENCE} stops relaying but keeps both
 * connections open, like a cable pulled on the way (no FIN, no RST reaches either side);
 * {@link Cut#CLOSE} closes both, like a peer or middlebox resetting the connection.
 */
final class CuttingProxy implements AutoCloseable {

    enum Cut { SILENCE, CLOSE }

    private final ServerSocket server;
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    CuttingProxy(int joinerPort, long cutAfterBytes, Cut how) throws IOException {
        server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            try {
                for (int n = 1; ; n++) {
                    Socket donor = server.accept();
                    Socket joiner = new Socket(InetAddress.getLoopbackAddress(), joinerPort);
                    sockets.add(donor);
                    sockets.add(joiner);
                    long limit = n == 2 ? cutAfterBytes : Long.MAX_VALUE;
                    daemon(() -> relay(donor, joiner, limit, how));
                    daemon(() -> relay(joiner, donor, Long.MAX_VALUE, how));
                }
            } catch (IOException closed) {
                // the proxy was closed
            }
        });
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
    }

    private static void relay(Socket from, Socket to, long limit, Cut how) {
        byte[] buf = new byte[65536];
        long total = 0;
        try {
            // not try-with-resources: closing a socket's stream closes the socket, which SILENCE must not
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int r;
            while ((r = in.read(buf)) > 0) {
                int pass = (int) Math.min(r, limit - total);
                out.write(buf, 0, pass);
                total += pass;
                if (total >= limit) {
                    if (how == Cut.CLOSE) {
                        from.close();
                        to.close();
                    }
                    return; // SILENCE: nothing is read or written on this pair again, nothing is closed
                }
            }
            to.shutdownOutput(); // pass the end of the stream on
        } catch (IOException e) {
            // the other direction closed the pair
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
