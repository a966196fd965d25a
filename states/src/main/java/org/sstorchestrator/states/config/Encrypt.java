package org.sstorchestrator.states.config;

/**
 * {@code encrypt}: how the stream is protected, one level of the stock script's 0 to 4. 1 is
 * openssl enc of the stream with a passphrase, in the copy loop; 2 to 4 are TLS, and differ in
 * the files they need: 2 a certificate file that holds its key, and a CA; 3 a certificate and a
 * key, a CA optional (without one nobody verifies anybody); 4 a certificate, a key and a CA.
 */
public enum Encrypt {
    NONE(0),
    OPENSSL_ENC(1),
    TLS_PEM_AND_CA(2),
    TLS_KEY_AND_CERT(3),
    TLS_KEY_CERT_AND_CA(4);

    private final int level;

    Encrypt(int level) {
        this.level = level;
    }

    /** The stock script's number, as my.cnf writes it. */
    public int level() {
        return level;
    }

    public static Encrypt of(int level) {
        for (Encrypt e : values()) {
            if (e.level == level) {
                return e;
            }
        }
        throw new IllegalArgumentException("encrypt is 0 to 4: " + level);
    }

    /** TLS on the wire: 2, 3 or 4. */
    public boolean tls() {
        return level >= 2;
    }

    /** 2: socat's cert= file holds the key too (no key=). */
    public boolean keyInCertificateFile() {
        return this == TLS_PEM_AND_CA;
    }

    /** 3 and 4 need a key file. */
    public boolean needsKey() {
        return level >= 3;
    }

    @Override
    public String toString() {
        return Integer.toString(level);
    }
}
