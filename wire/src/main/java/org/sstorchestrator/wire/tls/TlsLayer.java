package org.sstorchestrator.wire.tls;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.wire.BlockInputStream;
import org.sstorchestrator.wire.Buffers;
import org.sstorchestrator.wire.Duplex;
import org.sstorchestrator.wire.Layer;
import org.sstorchestrator.wire.Opening;
import org.sstorchestrator.wire.WireException;

/**
 * TLS as a layer of the chain, as Netty's SslHandler is one of its pipeline: an {@link SSLEngine}
 * (made and configured by the program: its context, its side, what it verifies) between the
 * ends below and the data above. Its handshake runs when the transfer opens, within a bound;
 * then records are wrapped as the data is written, and unwrapped as many at a time as the
 * socket hands over.
 *
 * <p>Failing closed: a handshake that fails, a peer that speaks cleartext, ends the transfer as a
 * broken link with the reason ({@link Words}); nothing is sent or taken in cleartext instead. A
 * stream must end with the peer's close_notify: one cut short is an error, not the end of the
 * data. The server side looks at the first bytes before its handshake, so that a peer sending
 * cleartext is told apart from a failed handshake. Ending the output sends close_notify and, when
 * declared so, waits within a bound for the peer to close its own: under TLS 1.3 a server that
 * refuses the client's certificate says so only after the client's handshake has completed.
 */
public final class TlsLayer implements Layer {

    private static final Logger LOG = LoggerFactory.getLogger(TlsLayer.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** What this side's TLS failures say, in the program's terms: which transfer, who the peer is, what to check. */
    public interface Words {

        /** The peer closed the connection before its handshake began (server side). */
        String closedBeforeHandshake();

        /** The peer's first bytes are not a TLS handshake (server side). */
        String cleartext(byte[] first);

        String timedOut(Duration handshake);

        /** The handshake failed on an error of TLS's own (a refused certificate, an alert, no common protocol). */
        String refused(SSLException e);

        /** The connection failed during the handshake. */
        String ended(IOException e);

        /** At the end of a transfer that waits for the peer's close: the peer's fatal alert. */
        String refusedAtClose(String alert);

        /** At the end of a transfer that waits for the peer's close: it did not close within the bound (a warning). */
        String notClosed(Duration bound);
    }

    private final Supplier<SSLEngine> engines;
    private final Duration handshake;
    private final Optional<Duration> awaitPeerClose;
    private final Words words;
    private final Consumer<SSLEngine> handshaken;

    /**
     * @param engines        makes this transfer's engine, configured (side, context, parameters)
     * @param handshake      bounds each read of the handshake
     * @param awaitPeerClose when given, ending the output waits this long for the peer's close
     * @param handshaken     told the engine once the handshake is done (its session, for the record)
     */
    public TlsLayer(Supplier<SSLEngine> engines, Duration handshake, Optional<Duration> awaitPeerClose, Words words,
                    Consumer<SSLEngine> handshaken) {
        this.engines = engines;
        this.handshake = handshake;
        this.awaitPeerClose = awaitPeerClose;
        this.words = words;
        this.handshaken = handshaken;
    }

    @Override
    public String name() {
        return "TLS";
    }

    @Override
    public Duplex open(Duplex below, Opening at) {
        Session s = new Session(engines.get(), below.in(), below.out(), at);
        s.handshake();
        handshaken.accept(s.engine);
        return new Duplex(s.new In(), s.new Out());
    }

    /** One engine over one connection. */
    private final class Session {
        private final SSLEngine engine;
        private final InputStream rawIn;
        private final OutputStream rawOut;
        private final Opening at;
        /** From the peer, not yet unwrapped (read mode: position to limit). */
        private final ByteBuffer netIn;
        /** To the peer: what one wrap wrote. */
        private ByteBuffer netOut;
        /** Unwrapped, not yet read (read mode). */
        private ByteBuffer appIn;
        private boolean inboundDone;
        private boolean outboundDone;

        Session(SSLEngine engine, InputStream rawIn, OutputStream rawOut, Opening at) {
            this.engine = engine;
            this.rawIn = rawIn;
            this.rawOut = rawOut;
            this.at = at;
            int packet = engine.getSession().getPacketBufferSize();
            this.netIn = ByteBuffer.allocate(Math.max(Buffers.SEGMENT, packet)).flip();
            this.netOut = ByteBuffer.allocate(Math.max(Buffers.SEGMENT / 2, packet));
            this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        }

        void handshake() {
            try {
                at.readTimeout(handshake);
                if (!engine.getUseClientMode()) {
                    lookAtTheFirstBytes();
                }
                engine.beginHandshake();
                HandshakeStatus hs = engine.getHandshakeStatus();
                while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING) {
                    switch (hs) {
                        case NEED_WRAP -> hs = wrap(EMPTY).getHandshakeStatus();
                        case NEED_TASK -> hs = runTasks();
                        default -> { // NEED_UNWRAP: our flight goes out before its answer is awaited
                            rawOut.flush();
                            hs = unwrap(appIn.compact(), true).getHandshakeStatus();
                            appIn.flip();
                        }
                    }
                }
                rawOut.flush(); // our last flight (a client's certificate and Finished): nothing answers it
                at.readTimeout(Duration.ZERO);
            } catch (SocketTimeoutException e) {
                throw broken(words.timedOut(handshake), e);
            } catch (SSLException e) {
                sendAlert();
                throw broken(words.refused(e), e);
            } catch (IOException e) {
                throw broken(words.ended(e), e);
            }
        }

        /** A server's first look: a TLS handshake record starts with 0x16; anything else is not TLS. */
        private void lookAtTheFirstBytes() throws IOException {
            while (netIn.remaining() < 5) {
                if (!readMore()) {
                    break;
                }
            }
            if (netIn.remaining() == 0) {
                throw broken(words.closedBeforeHandshake(), null);
            }
            if (netIn.get(netIn.position()) != 0x16) {
                byte[] first = new byte[Math.min(5, netIn.remaining())];
                netIn.duplicate().get(first);
                throw broken(words.cleartext(first), null);
            }
        }

        /** The alert a failed handshake left in the engine (the peer says why from it), if the connection still takes it. */
        private void sendAlert() {
            try {
                engine.closeOutbound();
                while (!engine.isOutboundDone()) {
                    netOut.clear();
                    SSLEngineResult r = engine.wrap(EMPTY, netOut);
                    netOut.flip();
                    rawOut.write(netOut.array(), 0, netOut.limit());
                    if (r.bytesProduced() == 0) {
                        break;
                    }
                }
                rawOut.flush();
            } catch (IOException | RuntimeException ignored) {
                // the handshake's own failure is the one reported
            }
        }

        private HandshakeStatus runTasks() {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
            return engine.getHandshakeStatus();
        }

        /** Wraps {@code src} (all of it: one record a wrap) and writes the records, without a flush. */
        private SSLEngineResult wrap(ByteBuffer src) throws IOException {
            SSLEngineResult r;
            do {
                netOut.clear();
                r = engine.wrap(src, netOut);
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                    continue;
                }
                if (r.getStatus() == Status.CLOSED && src.hasRemaining()) {
                    throw new SSLException("the TLS session is closed: nothing more can be sent");
                }
                netOut.flip();
                if (netOut.hasRemaining()) {
                    rawOut.write(netOut.array(), 0, netOut.limit());
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            } while (src.hasRemaining() || r.getStatus() == Status.BUFFER_OVERFLOW);
            return r;
        }

        /**
         * Unwraps from what came from the peer into {@code dst} (write mode), reading more when a
         * record is not whole: once something is produced (or a handshake step taken, when
         * {@code handshaking}), as many records as are whole and fit. A stream the peer ends
         * without close_notify is an error.
         */
        private SSLEngineResult unwrap(ByteBuffer dst, boolean handshaking) throws IOException {
            int produced = 0;
            while (true) {
                SSLEngineResult r = engine.unwrap(netIn, dst);
                produced += r.bytesProduced();
                switch (r.getStatus()) {
                    case OK -> {
                        if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                            runTasks();
                        }
                        if (handshaking || produced > 0 && (!netIn.hasRemaining() || dst.remaining()
                                < engine.getSession().getApplicationBufferSize())) {
                            return r;
                        }
                        if (r.bytesProduced() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                            wrap(EMPTY); // a post-handshake message wants an answer (a key update)
                            rawOut.flush();
                        }
                    }
                    case BUFFER_UNDERFLOW -> {
                        if (produced > 0 && !handshaking) {
                            return r;
                        }
                        if (!readMore()) {
                            throw handshaking || engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                                    ? new SSLHandshakeException("Remote host terminated the handshake")
                                    : new SSLException("Remote host terminated the connection without close_notify: the"
                                    + " stream was cut short");
                        }
                    }
                    case BUFFER_OVERFLOW -> {
                        return r; // no room for a whole record: the caller reads through appIn
                    }
                    default -> { // CLOSED: the peer's close_notify
                        inboundDone = true;
                        return r;
                    }
                }
            }
        }

        /** Reads what the socket has into netIn; false at its end. */
        private boolean readMore() throws IOException {
            netIn.compact();
            try {
                int n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
                if (n < 0) {
                    return false;
                }
                netIn.position(netIn.position() + n);
                return true;
            } finally {
                netIn.flip();
            }
        }

        /** The data from the peer. */
        final class In extends BlockInputStream {
            private boolean closed;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                synchronized (Session.this) {
                    if (!appIn.hasRemaining()) {
                        if (inboundDone) {
                            return -1;
                        }
                        int room = engine.getSession().getApplicationBufferSize();
                        if (len >= room) { // straight into the reader's buffer, as many records as fit
                            ByteBuffer dst = ByteBuffer.wrap(b, off, len);
                            SSLEngineResult r = unwrap(dst, false);
                            int n = dst.position() - off;
                            if (n > 0 || r.getStatus() != Status.BUFFER_OVERFLOW) {
                                return n > 0 ? n : inboundDone ? -1 : 0;
                            }
                        }
                        appIn.clear();
                        try {
                            unwrap(appIn, false);
                        } finally {
                            appIn.flip();
                        }
                        if (!appIn.hasRemaining()) {
                            return inboundDone ? -1 : 0;
                        }
                    }
                    int n = Math.min(len, appIn.remaining());
                    appIn.get(b, off, n);
                    return n;
                }
            }

            /** Done reading: our close_notify goes to the peer, if the connection still takes it; the socket is the transfer's. */
            @Override
            public void close() {
                synchronized (Session.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    if (!outboundDone) {
                        outboundDone = true;
                        sendAlert();
                    }
                }
            }
        }

        /** The data to the peer. */
        final class Out extends OutputStream {

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                synchronized (Session.this) {
                    wrap(ByteBuffer.wrap(b, off, len));
                }
            }

            @Override
            public void flush() throws IOException {
                synchronized (Session.this) {
                    rawOut.flush();
                }
            }

            /** The end of our data: close_notify, then (when declared) the peer's own close within the bound. */
            @Override
            public void close() throws IOException {
                synchronized (Session.this) {
                    if (outboundDone) {
                        return;
                    }
                    outboundDone = true;
                    engine.closeOutbound();
                    while (!engine.isOutboundDone()) {
                        if (wrap(EMPTY).bytesProduced() == 0) {
                            break;
                        }
                    }
                    rawOut.close();
                    if (awaitPeerClose.isPresent()) {
                        awaitPeerClose(awaitPeerClose.get());
                    } else {
                        drain();
                    }
                }
            }
        }

        /**
         * Takes in what the peer has sent and we never read (a server's session ticket), without
         * waiting: a socket closed with unread input is reset, not closed, and the reset can
         * reach the peer before the last of our data has.
         */
        private void drain() {
            try {
                ByteBuffer ignored = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                while (!inboundDone && rawIn.available() > 0) {
                    ignored.clear();
                    netIn.compact();
                    int n;
                    try {
                        n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(),
                                Math.min(netIn.remaining(), rawIn.available()));
                        if (n > 0) {
                            netIn.position(netIn.position() + n);
                        }
                    } finally {
                        netIn.flip();
                    }
                    if (n <= 0) {
                        return;
                    }
                    while (netIn.hasRemaining() && !inboundDone) {
                        SSLEngineResult r = engine.unwrap(netIn, ignored);
                        if (r.getStatus() != Status.OK || r.bytesConsumed() == 0) {
                            break;
                        }
                        ignored.clear();
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("what the peer sent last: {}", e.getMessage());
            }
        }

        /** Reads, within {@code bound}, until the peer's close_notify or the end of the connection; its fatal alert fails the transfer. */
        private void awaitPeerClose(Duration bound) {
            try {
                at.readTimeout(bound.isZero() ? Duration.ofMillis(1) : bound);
                ByteBuffer ignored = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                while (!inboundDone) {
                    ignored.clear(); // the peer sends nothing; anything it did send is ignored
                    unwrap(ignored, false);
                }
            } catch (SocketTimeoutException e) {
                LOG.warn(words.notClosed(bound));
            } catch (SSLException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("Received fatal alert")) {
                    throw broken(words.refusedAtClose(m.substring(m.indexOf("Received fatal alert"))), e);
                }
                LOG.debug("the peer closed without close_notify ({})", m);
            } catch (EOFException e) {
                LOG.debug("the peer closed without close_notify");
            } catch (IOException e) {
                LOG.debug("the peer's close: {}", e.getMessage());
            }
        }
    }

    private static WireException broken(String message, Throwable cause) {
        return new WireException(WireException.Kind.BROKEN_LINK, message, cause);
    }
}
