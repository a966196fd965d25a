package org.sstorchestrator.states.config;

import java.util.Locale;
import org.sstorchestrator.states.ExitCode;

/** {@code ssl-mode}, upper-cased as the stock script reads it; anything else is its exit 22. */
public enum SslMode {
    DISABLED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY;

    public static SslMode parse(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        for (SslMode m : values()) {
            if (m.name().equals(v)) {
                return m;
            }
        }
        throw org.sstorchestrator.states.stock.StockLine.UNRECOGNIZED_SSL_MODE.failure(ExitCode.EINVAL, " (ssl-mode = '"
                + printable(value) + "' is invalid: expected DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY)", printable(v));
    }

    /** VERIFY_CA or VERIFY_IDENTITY: the joiner sends {@code <CN>:<secret>@}, the peer must be verified. */
    public boolean verifies() {
        return this == VERIFY_CA || this == VERIFY_IDENTITY;
    }

    private static String printable(String v) {
        return org.sstorchestrator.states.args.SstAddress.printable(v);
    }
}
