package org.sstorchestrator.wire;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A program's stop, for the wire's tests: closes what is registered, and throws its reason afterwards. */
public final class TestCancel implements Cancel {

    private final List<Closeable> registered = new CopyOnWriteArrayList<>();
    private volatile WireException reason;

    @Override
    public void register(Closeable c) {
        registered.add(c);
        if (reason != null) {
            close(c);
        }
    }

    @Override
    public void unregister(Closeable c) {
        registered.remove(c);
    }

    @Override
    public void trigger(WireException why) {
        if (reason == null) {
            reason = why;
            registered.forEach(TestCancel::close);
        }
    }

    @Override
    public void check() {
        WireException r = reason;
        if (r != null) {
            throw new WireException(r.kind(), r.getMessage());
        }
    }

    public boolean triggered() {
        return reason != null;
    }

    public List<Closeable> registered() {
        return registered;
    }

    private static void close(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing to unblock
        }
    }
}
