package org.sstorchestrator.states.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The donor's TCP connection as JSSE sees it when it layers TLS over it: the same socket,
 * whose output gathers the records JSSE writes and flushes one at a time (16 KB each, one
 * system call and one wake-up of the joiner apiece: 64 thousand per GB) into writes of up to
 * {@value #GATHER} bytes. Nothing waits in the buffer when it matters: it is written out
 * before anything is read from the connection (a handshake flight, before its answer is
 * awaited), at the end of the handshake ({@link #send}, the client's last flight), when it is
 * full, and when the output is shut down or the socket closed (the end of the stream,
 * close_notify last). Every other call goes to the socket itself.
 */
final class CoalescingSocket extends Socket {

    static final int GATHER = 128 * 1024;

    private final Socket plain;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buffer = new byte[GATHER];
    private int filled;

    CoalescingSocket(Socket plain) throws IOException {
        super((SocketImpl) null);
        this.plain = plain;
        this.out = plain.getOutputStream();
        this.in = plain.getInputStream();
    }

    private synchronized void gather(byte[] b, int off, int len) throws IOException {
        if (filled + len > buffer.length) {
            send();
        }
        if (len >= buffer.length) {
            out.write(b, off, len);
            return;
        }
        System.arraycopy(b, off, buffer, filled, len);
        filled += len;
        if (filled == buffer.length) {
            send();
        }
    }

    /** Writes out what is gathered (also called at the end of a handshake, which JSSE does not read after). */
    synchronized void send() throws IOException {
        if (filled > 0) {
            int n = filled;
            filled = 0;
            out.write(buffer, 0, n);
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                gather(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                gather(b, off, len);
            }

            @Override
            public void flush() {
                // JSSE flushes every record: gathered until full, a read, a shutdown or a close
            }

            @Override
            public void close() throws IOException {
                CoalescingSocket.this.close();
            }
        };
    }

    @Override
    public InputStream getInputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                send();
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                send();
                return in.read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                return in.available();
            }

            @Override
            public long skip(long n) throws IOException {
                return in.skip(n);
            }

            @Override
            public void close() throws IOException {
                CoalescingSocket.this.close();
            }
        };
    }

    @Override
    public void shutdownOutput() throws IOException {
        send();
        plain.shutdownOutput();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (!plain.isClosed() && !plain.isOutputShutdown()) {
                send();
            }
        } finally {
            plain.close();
        }
    }

    // the rest is the socket's own

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        plain.connect(endpoint);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        plain.connect(endpoint, timeout);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        plain.bind(local);
    }

    @Override
    public InetAddress getInetAddress() {
        return plain.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return plain.getLocalAddress();
    }

    @Override
    public int getPort() {
        return plain.getPort();
    }

    @Override
    public int getLocalPort() {
        return plain.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return plain.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return plain.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return plain.getChannel();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws java.net.SocketException {
        plain.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws java.net.SocketException {
        return plain.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws java.net.SocketException {
        plain.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws java.net.SocketException {
        return plain.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        plain.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws java.net.SocketException {
        plain.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws java.net.SocketException {
        return plain.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws java.net.SocketException {
        plain.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws java.net.SocketException {
        return plain.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws java.net.SocketException {
        plain.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws java.net.SocketException {
        return plain.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws java.net.SocketException {
        plain.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws java.net.SocketException {
        return plain.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws java.net.SocketException {
        plain.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws java.net.SocketException {
        return plain.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws java.net.SocketException {
        plain.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws java.net.SocketException {
        return plain.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws java.net.SocketException {
        plain.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws java.net.SocketException {
        return plain.getReuseAddress();
    }

    @Override
    public void shutdownInput() throws IOException {
        plain.shutdownInput();
    }

    @Override
    public String toString() {
        return plain.toString();
    }

    @Override
    public boolean isConnected() {
        return plain.isConnected();
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public boolean isClosed() {
        return plain.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return plain.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return plain.isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        plain.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        plain.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return plain.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return plain.supportedOptions();
    }
}
