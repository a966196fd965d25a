package org.sstorchestrator.states.text;

import java.util.Objects;

/**
 * A password or shared secret. {@link #toString()} is masked so a secret cannot reach a log
 * line, the history or CLI output by accident; {@link #reveal()} is the only way out and is
 * used where the value goes to a child's environment or onto the wire.
 */
public final class Secret {

    public static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "" : "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0; // no hint of the value
    }
}
