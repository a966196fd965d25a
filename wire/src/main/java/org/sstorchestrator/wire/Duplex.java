package org.sstorchestrator.wire;

import java.io.InputStream;
import java.io.OutputStream;

/** A connection's two ends as one layer hands them to the next: what comes from the peer, what goes to it. */
public record Duplex(InputStream in, OutputStream out) {

    public Duplex withIn(InputStream in) {
        return new Duplex(in, out);
    }

    public Duplex withOut(OutputStream out) {
        return new Duplex(in, out);
    }
}
