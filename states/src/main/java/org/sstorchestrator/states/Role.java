package org.sstorchestrator.states;

public enum Role {
    JOINER, DONOR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
