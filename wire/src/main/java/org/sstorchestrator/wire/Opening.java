package org.sstorchestrator.wire;

import java.time.Duration;
import java.util.function.LongSupplier;

/** What a layer is told of, and may tell, the one transfer it is being opened for. */
public interface Opening {

    /** Which way the transfer's data goes. */
    Direction direction();

    /** The bytes the transfer reports as on the wire ({@link Transfer#wireBytes}): counted by the layer that calls this. */
    void counts(LongSupplier bytes);

    /** Bounds each blocking read of the socket from now on ({@link Duration#ZERO}: unbounded), as a handshake needs. */
    void readTimeout(Duration timeout) throws java.io.IOException;
}
