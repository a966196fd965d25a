package org.sstorchestrator.states.config;

import java.util.List;
import java.util.Map;

/**
 * The test hooks the installed script reads from its environment, which MariaDB's own tests
 * (and operators' runbooks copied from them) set in mysqld's environment, honoured as that
 * script honours them:
 * <ul>
 *   <li>{@code MTR_SST_SIMULATE_NO_SSL_CERT}, any non-empty value: the certificate and key are
 *       treated as absent (encrypt 0, 2, 3 and 4), so that a test can prove a node asked for
 *       TLS fails closed; it can only ever make a run fail, never weaken it;</li>
 *   <li>{@code MTR_SST_JOINER_DELAY}, a whole number of seconds: the joiner waits that long
 *       after the transfer, before it reports its position ("Sleeping N seconds for MTR test"),
 *       to simulate a long SST or IST; anything but a positive integer: no wait (the stock
 *       script's {@code [ -gt 0 ]} is false for it).</li>
 * </ul>
 * Nothing else the installed script reads from its environment is a test hook: the InnoDB
 * directories ({@code INNODB_DATA_HOME_DIR}...) and the credentials are read where they are
 * used; {@code OPENSSL_BINARY}, {@code SOCAT_VERSION} and {@code PV_FORMAT} only spare the
 * script a look-up of tools we do not run (docs/compatibility.md).
 */
public record TestHooks(boolean simulateNoSslCertificate, int joinerDelaySeconds) {

    public static final String NO_SSL_CERT = "MTR_SST_SIMULATE_NO_SSL_CERT";
    public static final String JOINER_DELAY = "MTR_SST_JOINER_DELAY";
    public static final TestHooks NONE = new TestHooks(false, 0);

    /** The hooks set in {@code env}; a delay that is not a positive integer is reported in {@code warnings} and ignored. */
    public static TestHooks from(Map<String, String> env, List<String> warnings) {
        String noCert = env.getOrDefault(NO_SSL_CERT, "");
        String delay = env.getOrDefault(JOINER_DELAY, "").strip();
        int seconds = 0;
        if (!delay.isEmpty()) {
            if (delay.matches("[0-9]{1,6}")) {
                seconds = Integer.parseInt(delay);
            } else {
                warnings.add(JOINER_DELAY + "='" + org.sstorchestrator.states.args.SstAddress.printable(delay)
                        + "' is not a whole number of seconds: no delay, as with the stock script");
            }
        }
        return new TestHooks(!noCert.isEmpty(), seconds);
    }
}
