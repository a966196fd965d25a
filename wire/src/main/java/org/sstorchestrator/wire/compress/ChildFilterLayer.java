package org.sstorchestrator.wire.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.sstorchestrator.wire.BlockInputStream;
import org.sstorchestrator.wire.Buffers;
import org.sstorchestrator.wire.StreamLayer;
import org.sstorchestrator.wire.WireException;

/**
 * A compressor or decompressor we do not build in, run as a child process from its argv (never
 * a shell): the stream goes through its stdin and stdout, its stderr to its log, and its start,
 * exit code and log are recorded with the stage like every child's. Unlike the stock pipeline,
 * where a failing compressor in the middle of the donor's pipeline goes unnoticed, its exit
 * code is judged: anything but 0, or death by a signal, fails the transfer (32) naming the
 * command, the code and the last line of its stderr. So does a decompressor that stops
 * reading before the donor's stream ends.
 *
 * <p>One thread pumps the side the copy loop does not drive. When that side fails (the peer
 * goes away), the child is killed so the copy loop's next write or read fails at once; the
 * network's error is then the one reported. The final wait for the child is bounded: if no
 * byte moves for the idle timeout, the child is killed (promise P2).
 */
public final class ChildFilterLayer implements StreamLayer {

    private static final int BUFFER = Buffers.PIPE;

    /** The filter program, as the program using the wire starts, records and judges its children. */
    public interface Filter {

        /** Its command line, for names and messages. */
        List<String> argv();

        /** Starts it: its stdin and stdout are the filter's ends. */
        Child start();

        /** What its stderr said, for the message of a failure. */
        String stderr();
    }

    /** A started filter. */
    public interface Child {

        OutputStream stdin();

        InputStream stdout();

        /** Kills it (and what it started); its exit code then says so. */
        void kill();

        boolean awaitExit(long millis) throws InterruptedException;

        /** Its exit code, once it has exited (128 + the signal when one killed it). */
        int finish();
    }

    private final String setting;
    private final Filter command;
    private final Duration idle;
    private final boolean compress;

    public ChildFilterLayer(String setting, Filter command, Duration idle, boolean compress) {
        this.setting = setting;
        this.command = command;
        this.idle = idle.isZero() ? Duration.ofSeconds(300) : idle;
        this.compress = compress;
    }

    @Override
    public String name() {
        return (compress ? "compressor " : "decompressor ") + String.join(" ", command.argv());
    }

    @Override
    public OutputStream sending(OutputStream toPeer) {
        if (!compress) {
            return toPeer;
        }
        Child child = command.start();
        Pump pump = new Pump(child.stdout(), toPeer, child, true, "compressor-pump");
        pump.start();
        return new ToChild(child, pump, toPeer);
    }

    @Override
    public InputStream receiving(InputStream fromPeer) {
        if (compress) {
            return fromPeer;
        }
        Child child = command.start();
        Pump pump = new Pump(fromPeer, child.stdin(), child, false, "decompressor-pump");
        pump.start();
        return new FromChild(child, pump, fromPeer);
    }

    /**
     * Copies one side; {@code toPeer} says which: true, the child's stdout to the socket (a
     * write failure is the network's); false, the socket to the child's stdin (a read failure
     * is the network's, a write failure means the child stopped reading).
     */
    private static final class Pump extends Thread {
        private final InputStream from;
        private final OutputStream to;
        private final Child child;
        private final boolean toPeer;
        final AtomicLong bytes = new AtomicLong();
        volatile IOException network;
        volatile boolean childStoppedReading;
        volatile boolean reachedEnd;

        Pump(InputStream from, OutputStream to, Child child, boolean toPeer, String name) {
            super(name);
            setDaemon(true);
            this.from = from;
            this.to = to;
            this.child = child;
            this.toPeer = toPeer;
        }

        @Override
        public void run() {
            byte[] buf = new byte[BUFFER];
            while (true) {
                int n;
                try {
                    n = from.read(buf);
                } catch (IOException e) {
                    if (!toPeer) {
                        network = e;
                        child.kill(); // never let a cut stream look like a clean end to the child
                    }
                    return; // reading the child's stdout failed: it was killed; its exit code says so
                }
                if (n < 0) {
                    reachedEnd = true;
                    if (!toPeer) {
                        try {
                            to.close(); // EOF to the decompressor
                        } catch (IOException ignored) {
                            // it exited already: its exit code says how
                        }
                    }
                    return;
                }
                try {
                    to.write(buf, 0, n);
                    if (!toPeer) {
                        to.flush();
                    }
                } catch (IOException e) {
                    if (toPeer) {
                        network = e;
                        child.kill();
                    } else {
                        childStoppedReading = true;
                    }
                    return;
                }
                bytes.addAndGet(n);
            }
        }

        /** Waits for the pump to end, killing the child if nothing moves for {@code idle}. */
        void awaitEnd(Duration idle) {
            long last = bytes.get();
            long since = System.nanoTime();
            while (isAlive()) {
                try {
                    join(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    child.kill();
                    return;
                }
                long now = bytes.get();
                if (now != last) {
                    last = now;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > idle.toNanos()) {
                    child.kill();
                    since = System.nanoTime();
                }
            }
        }
    }

    /** The code, once the child has exited (bounded: killed after {@code idle} without exiting). */
    private int finish(Child child) {
        try {
            if (!child.awaitExit(idle.toMillis())) {
                child.kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.kill();
        }
        return child.finish();
    }

    private WireException failed(int code, long bytes, String what) {
        String how = code > 128 ? "was killed by signal " + (code - 128) : "exited with code " + code;
        return new WireException(WireException.Kind.BROKEN_LINK, setting + " '" + String.join(" ", command.argv()) + "' "
                + how + " after " + bytes + " bytes " + what + "; its stderr: " + command.stderr());
    }

    /** The donor's side: the copy loop writes into the compressor; the pump sends its output. */
    private final class ToChild extends OutputStream {
        private final Child child;
        private final Pump pump;
        private final OutputStream toPeer;
        private long written;
        private boolean closed;

        ToChild(Child child, Pump pump, OutputStream toPeer) {
            this.child = child;
            this.pump = pump;
            this.toPeer = toPeer;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (pump.network != null) {
                throw pump.network;
            }
            try {
                child.stdin().write(b, off, len);
                written += len;
            } catch (IOException e) {
                throw stoppedReading();
            }
        }

        @Override
        public void flush() throws IOException {
            if (pump.network != null) {
                throw pump.network;
            }
            try {
                child.stdin().flush(); // what is buffered reaches the compressor; its output is the pump's
            } catch (IOException e) {
                throw stoppedReading();
            }
        }

        /** Our write to the compressor failed: it died or closed its stdin. Says which, and why. */
        private IOException stoppedReading() throws IOException {
            closed = true;
            pump.awaitEnd(Duration.ofSeconds(5));
            int code = finish(child);
            if (pump.network != null) {
                return pump.network;
            }
            throw failed(code, written, "of the stream (it stopped reading)");
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                child.stdin().close(); // EOF: the compressor finishes its frame and exits
            } catch (IOException ignored) {
                // it exited already: its exit code says how
            }
            pump.awaitEnd(idle);
            int code = finish(child);
            if (pump.network != null) {
                throw pump.network;
            }
            if (code != 0) {
                throw failed(code, written, "of the stream");
            }
            toPeer.close();
        }
    }

    /** The joiner's side: the pump feeds the decompressor from the socket; the copy loop reads its output. */
    private final class FromChild extends BlockInputStream {
        private final Child child;
        private final Pump pump;
        private final InputStream fromPeer;
        private boolean ended;

        FromChild(Child child, Pump pump, InputStream fromPeer) {
            this.child = child;
            this.pump = pump;
            this.fromPeer = fromPeer;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            int n;
            try {
                n = child.stdout().read(b, off, len);
            } catch (IOException e) {
                n = -1; // killed: the exit code and the pump tell the story
            }
            if (n >= 0) {
                return n;
            }
            ended = true;
            pump.awaitEnd(idle);
            int code = finish(child);
            if (pump.network != null) {
                throw pump.network;
            }
            if (code != 0) {
                throw failed(code, pump.bytes.get(), "from the donor");
            }
            if (pump.childStoppedReading || !pump.reachedEnd) {
                throw new WireException(WireException.Kind.BROKEN_LINK, setting + " '" + String.join(" ", command.argv())
                        + "' exited 0 before it had read the donor's whole stream (after " + pump.bytes.get()
                        + " bytes): is it a decompressor for what the donor's compressor writes?");
            }
            return -1;
        }

        @Override
        public void close() throws IOException {
            if (ended) {
                fromPeer.close();
                return;
            }
            ended = true; // given up on before its end (a failure elsewhere): stop both sides, record the child
            try {
                fromPeer.close();
            } finally {
                child.kill();
                pump.awaitEnd(Duration.ofSeconds(5));
                finish(child);
            }
        }
    }
}
