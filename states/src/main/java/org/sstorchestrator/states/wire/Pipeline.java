package org.sstorchestrator.states.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * An ordered list of {@link WireLayer}s, outermost (next to the socket) first. As on the stock
 * wire, {@code compressor(encrypt(mbstream))}: the rate limit (donor, backup stream only) next to
 * the socket, then the compressor or decompressor, then encryption next to the mbstream.
 */
public record Pipeline(List<WireLayer> layers) {

    public static Pipeline plain() {
        return new Pipeline(List.of());
    }

    public OutputStream sending(OutputStream socket) throws IOException {
        OutputStream out = socket;
        for (WireLayer l : layers) {
            out = l.sending(out);
        }
        return out;
    }

    public InputStream receiving(InputStream socket) throws IOException {
        InputStream in = socket;
        for (WireLayer l : layers) {
            in = l.receiving(in);
        }
        return in;
    }

    /** This pipeline with {@code layer} next to the socket (the donor's rate limit on its backup stream). */
    public Pipeline withOutermost(WireLayer layer) {
        List<WireLayer> all = new java.util.ArrayList<>();
        all.add(layer);
        all.addAll(layers);
        return new Pipeline(List.copyOf(all));
    }

    public String describe() {
        return layers.isEmpty() ? "plain TCP" : layers.stream().map(WireLayer::name).reduce((a, b) -> a + "+" + b).get();
    }
}
