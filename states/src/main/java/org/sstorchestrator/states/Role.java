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
        throw org.sstorchestrator.states.stock.StockLine.UNRECOGNIZED_ROLE.failure(ExitCode.EINVAL,
                " (--role is neither 'joiner' nor 'donor')", value);
    }
}
