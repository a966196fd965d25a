package org.sstorchestrator.wire;

/**
 * The one buffer policy of the data path, as Okio has one for its segments: how much is read,
 * gathered and written at once, and why. Every layer and the copy loop size their buffers here.
 */
public final class Buffers {

    /**
     * The copy loop's buffer, and the sockets' kernel buffers: 1 MiB. Copying in the JVM with a
     * large buffer ran at 0.57-0.91 GB/s on this kind of machine, against 0.35-0.41 for socat
     * as the stock script runs it; a larger kernel window keeps a loopback or LAN link full.
     */
    public static final int COPY = 1 << 20;

    /**
     * One write to a socket or a file, at least, and one read of TLS records from the socket:
     * 256 KiB. A TLS record is 16 KB: written one at a time, a GB is 64 thousand system calls
     * and wake-ups of the peer; read one at a time, the joiner would write its files 16 KB at a
     * time. Gathered to this size, a GB is four thousand.
     */
    public static final int SEGMENT = 256 << 10;

    /** What a child filter's pipe holds (Linux's default pipe size): its pump moves this much at a time. */
    public static final int PIPE = 64 << 10;

    private Buffers() {
    }
}
