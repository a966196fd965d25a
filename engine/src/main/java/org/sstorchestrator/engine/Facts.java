package org.sstorchestrator.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the stages of one run hand each other, by type: a stage gives a fact (its typed
 * result), a later stage that declared it needs that fact gets it. The machine checks at
 * build time that every needed fact is given on every path to the stage that needs it
 * ({@link Machine}), so which stage depends on which is written down, not implied.
 */
public final class Facts {

    private final Map<Class<?>, Object> values = new ConcurrentHashMap<>();

    /** Gives {@code fact}, replacing one of the same type. */
    public <T> T put(T fact) {
        values.put(fact.getClass(), fact);
        return fact;
    }

    /** A fact a stage declared it needs: present by construction, so its absence is a bug in the declaration. */
    public <T> T get(Class<T> type) {
        Object v = values.get(type);
        if (v == null) {
            throw new IllegalStateException("no " + type.getSimpleName() + " in this run: the stage that gives it has"
                    + " not run (check the machine's declaration of needs and gives)");
        }
        return type.cast(v);
    }

    /** A fact that may or may not have been given (the recovery stage cleans up whatever exists). */
    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(values.get(type)).map(type::cast);
    }

    public boolean has(Class<?> type) {
        return values.containsKey(type);
    }
}
