package org.sstorchestrator.wire;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One transfer over one connection, opened from its {@link Chain}: the data's end ({@link #in}
 * or {@link #out}), the bytes on the wire where the chain counts them, and the connection,
 * registered with the program's {@link Cancel} while it is open and closed once. Sending ends
 * with {@link #finish}, which ends every layer's stream from the top down (compressor, cipher,
 * TLS) and leaves the socket to {@link #close}.
 */
public final class Transfer implements Opening, AutoCloseable {

    private final Socket socket;
    private final Direction direction;
    private final Cancel cancel;
    private final Deadline deadline;
    private final Optional<Chain.Bound> bound;
    private final java.util.ArrayDeque<Layer> unopened;
    private Duplex ends;
    private LongSupplier wireBytes = () -> 0;
    private boolean finished;
    private boolean closed;

    Transfer(Socket socket, Direction direction, Cancel cancel, Optional<Chain.Bound> bound, java.util.List<Layer> layers) {
        this.socket = socket;
        this.unopened = new java.util.ArrayDeque<>(layers);
        this.direction = direction;
        this.cancel = cancel;
        this.bound = bound;
        this.deadline = bound.map(b -> Deadline.closing(socket, b.after())).orElse(Deadline.NONE);
    }

    /** The socket's ends, which no layer closes: the transfer closes the socket itself, once. */
    void openConnectionLayers() throws IOException {
        InputStream in = new FilterInputStream(socket.getInputStream()) {
            @Override
            public void close() {
                // the socket is the transfer's to close
            }
        };
        OutputStream out = new FilterOutputStream(socket.getOutputStream()) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                this.out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // the socket is the transfer's to close
            }
        };
        ends = new Duplex(in, out);
        while (!unopened.isEmpty() && !(unopened.peekFirst() instanceof StreamLayer)) {
            ends = unopened.removeFirst().open(ends, this);
        }
    }

    /** The ends above every layer, the data's layers opened the first time. */
    private Duplex ends() throws IOException {
        while (!unopened.isEmpty()) {
            ends = unopened.removeFirst().open(ends, this);
        }
        return ends;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public void counts(LongSupplier bytes) {
        this.wireBytes = bytes;
    }

    @Override
    public void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(timeout.isZero() ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    }

    /** The data from the peer, through every layer (the data's layers open now, the first time: a child filter starts). */
    public InputStream in() throws IOException {
        return ends().in();
    }

    /** The data to the peer, through every layer (the data's layers open now, the first time). */
    public OutputStream out() throws IOException {
        return ends().out();
    }

    /** The bytes that went over the wire so far, where the chain counts them (0 when it does not). */
    public long wireBytes() {
        return wireBytes.getAsLong();
    }

    /** Who is at the other end. */
    public InetAddress peer() {
        return socket.getInetAddress();
    }

    /**
     * Sending: ends every layer's stream, from the data down to the socket (a compressor's last
     * frame, a cipher's padding, TLS's close_notify and whatever that layer waits for), once.
     */
    public void finish() throws IOException {
        if (!finished) {
            finished = true;
            ends().out().close();
        }
    }

    /**
     * What a failure of this transfer is: the program's stop when it stopped us, this
     * transfer's bound when that passed; else a {@link WireException} as it is, and an I/O
     * error as a broken link, said as {@code what} failed (and {@code hint} after its message).
     */
    public RuntimeException failure(Exception e, String what, String hint) {
        cancel.check();
        if (deadline.expired()) {
            return new WireException(WireException.Kind.BROKEN_LINK, bound.orElseThrow().message());
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        return new WireException(WireException.Kind.BROKEN_LINK, what + " failed: " + e.getMessage() + hint, e);
    }

    /**
     * Closes the transfer, once: the data's end (receiving: a child filter is stopped, TLS says
     * close_notify; sending, when not finished: every layer ends its stream as far as it can),
     * then the connection, which is unregistered.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ends != null) {
            try {
                if (direction == Direction.RECEIVE) {
                    ends.in().close();
                } else if (!finished) {
                    finished = true;
                    ends.out().close();
                }
            } catch (IOException | RuntimeException ignored) {
                // the transfer's own failure, if any, is the one reported
            }
        }
        deadline.cancel();
        cancel.unregister(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }
}
