package org.sstorchestrator.wire;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A transfer's layers as declared, nearest the socket first, as a Netty transport is the list of
 * its handlers: socket → TLS → count → rate limit → compressor → openssl enc → the data. Adding
 * a concern is one more line where the chain is declared, and its class; the transfer
 * ({@link Transfer}) opens, counts, registers and closes every layer in one way.
 */
public final class Chain {

    private final List<Layer> layers;

    private Chain(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    public static Builder over() {
        return new Builder();
    }

    /** The links, nearest the socket first. */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Opens the transfer over {@code socket}, which from now on belongs to it: closed, and
     * unregistered from {@code cancel}, once, when the transfer is, or at once when a layer fails
     * to open. The connection's own layers (those that are not a {@link StreamLayer}, such as
     * TLS with its handshake) open here, so that a peer that will not do is known before
     * anything else starts; the data's layers open when the data's end is first asked for, so a
     * child filter starts only when there is data for it. {@code within}, when given, bounds the
     * whole transfer from now on (see {@link Bound}).
     */
    public Transfer open(Socket socket, Direction direction, Cancel cancel, Optional<Bound> within) {
        Transfer t = new Transfer(socket, direction, cancel, within, layers);
        try {
            t.openConnectionLayers();
            return t;
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = t.failure(e, "opening " + describe(), "");
            t.close();
            throw failure;
        }
    }

    /** "TLS+count+built-in zstd -1", or "plain TCP". */
    public String describe() {
        return layers.isEmpty() ? "plain TCP" : String.join("+", layers.stream().map(Layer::name).toList());
    }

    /**
     * A bound on a whole transfer, which a per-read timeout cannot give: a peer that sends a byte
     * just before each read times out would hold the other side for ever. When it passes, the
     * socket is closed and the transfer fails with {@code message}.
     */
    public record Bound(Duration after, String message) {
    }

    public static final class Builder {
        private final List<Layer> layers = new ArrayList<>();

        private Builder() {
        }

        public Builder then(Layer layer) {
            layers.add(layer);
            return this;
        }

        /** The layer when there is one (a setting that is not set adds no link). */
        public Builder then(Optional<? extends Layer> layer) {
            layer.ifPresent(layers::add);
            return this;
        }

        public Chain build() {
            return new Chain(layers);
        }
    }
}
