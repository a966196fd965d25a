package org.sstorchestrator.states;

public enum Role {
    JOINER, DONOR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role parse(String value) {
        if ("joiner".equals(value)) {
            return JOINER;
        }
        if ("donor".equals(value)) {
            return DONOR;
        }
        throw new SstException(ExitCode.EINVAL, "--role '" + value + "' is neither 'joiner' nor 'donor'");
    }
}
