package org.sstorchestrator.wire;

import java.io.IOException;

/**
 * What went wrong between two nodes, told by its kind, so that the program using the wire maps
 * it to its own outcome in one place (the SST: its exit codes) and the wire needs none of its
 * types. The message is complete for {@link Kind#BROKEN_LINK}; for the local kinds it says what
 * was being done, and the cause is the I/O error of the local end.
 *
 * <p>Unchecked, as it crosses stream methods on its way up: a layer's own judgement (a filter
 * that exited badly) must not be taken for the plain I/O error of the layer above it.
 */
public class WireException extends RuntimeException {

    /** Where the fault lies, which decides the remedy: the link and the peer, or this node. */
    public enum Kind {
        /** the connection, the peer or what it sent: check the link and the other node */
        BROKEN_LINK,
        /** a local write found the filesystem full */
        DISK_FULL,
        /** a local read or write failed otherwise */
        LOCAL,
        /** a setting this node cannot apply (an option the platform lacks, a host with no address of a family) */
        SETTING,
        /** something this node needs is not here (a native library) */
        MISSING,
        /** the thread was interrupted */
        INTERRUPTED
    }

    private final Kind kind;

    public WireException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public WireException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The peer's side failed: what was being done, and the I/O error. */
    public static WireException broken(String what, IOException e) {
        return new WireException(Kind.BROKEN_LINK, what + ": " + e.getMessage(), e);
    }

    /** A local read or write failed ({@code what}: what was being done): {@link Kind#DISK_FULL} when the disk is full. */
    public static WireException local(String what, IOException e) {
        return new WireException(NoSpace.in(e) ? Kind.DISK_FULL : Kind.LOCAL, what, e);
    }
}
