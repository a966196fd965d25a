package org.sstorchestrator.states.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.stock.StockLine;

/**
 * {@code encrypt} and {@code ssl-mode}, and for TLS the files one role uses, resolved from
 * my.cnf exactly as the stock script resolves them (docs/wire-protocol.md#tls):
 * <ul>
 * <li>an unknown ssl-mode, or an encrypt other than 0..4, is exit 22 with the stock line;</li>
 * <li>certificate options are read when encrypt is 2..4, or 0 with an ssl-mode other than
 * DISABLED (so {@code ssl-*} in the server groups alone never turn SST TLS on);</li>
 * <li>any of {@code [sst] tca tcapath tcert tkey} replaces all four {@code ssl-ca ssl-capath
 * ssl-cert ssl-key} (an INFO line says so when they differ);</li>
 * <li>then {@code ssl-server-*} (joiner, the listener) or {@code ssl-client-*} (donor)
 * override what is set so far; a CA that ends with '/' or is a directory is a CA path;</li>
 * <li>encrypt=0 with an ssl-mode and both cert and key becomes encrypt=3, without the CA
 * unless the mode is VERIFY_*; without cert or key it is the stock fatal error;</li>
 * <li>per level: 2 needs a cert and a CA, 3 and 4 a cert and a key, 4 a CA (stock lines).</li>
 * </ul>
 * Stricter than stock, for promise P8: a VERIFY_* ssl-mode with no CA to verify against is
 * refused (the stock script silently transfers unverified); encrypt=3 without a CA runs
 * unverified, as stock, with a WARNING.
 */
public record TlsSettings(Role role, Encrypt encrypt, SslMode mode, Optional<Setting> ca, Optional<Setting> capath,
                          Optional<Setting> cert, Optional<Setting> key, Optional<Setting> dhparams,
                          List<String> warnings, TlsOptions options) {

    /** One configured file: the setting that names it (as an operator would search my.cnf for it) and its path. */
    public record Setting(String name, Path path) {

        /** The value as my.cnf gives it ({@link Path} would drop a trailing '/'). */
        static Setting of(String name, String value) {
            return new Setting(name, Path.of(value.endsWith("/") && value.length() > 1 ? value + "." : value));
        }

        @Override
        public String toString() {
            return name + " " + path;
        }
    }

    public static TlsSettings resolve(OptionFiles cnf, Role role) {
        return resolve(cnf, role, false, new ArrayList<>());
    }

    /**
     * {@code simulateNoCertificate}: the installed script's test hook MTR_SST_SIMULATE_NO_SSL_CERT
     * ({@link org.sstorchestrator.states.config.TestHooks}), which empties the certificate and key
     * it read (encrypt 0, 2, 3 and 4), so that the run fails closed as without them.
     */
    public static TlsSettings resolve(OptionFiles cnf, Role role, boolean simulateNoCertificate) {
        return resolve(cnf, role, simulateNoCertificate, new ArrayList<>());
    }

    /**
     * As above; the stock script's lines of this reading ("SSL configuration: CA=..."), added to
     * {@code infos} as they are found, so that they are printed before a refusal, as stock.
     */
    public static TlsSettings resolve(OptionFiles cnf, Role role, boolean simulateNoCertificate,
                                      List<StockLine.Printed> infos) {
        SslMode mode = SslMode.parse(Opt.SSL_MODE.valueOrDefault(cnf));
        String encryptValue = Opt.ENCRYPT.valueOrDefault(cnf);
        Encrypt encrypt = encryptLevel(encryptValue);
        List<String> warnings = new ArrayList<>();
        Files4 f = Files4.NONE;
        if (encrypt.tls() || encrypt == Encrypt.NONE && mode != SslMode.DISABLED) {
            f = files(cnf, role, infos);
        }
        if (simulateNoCertificate && encrypt != Encrypt.OPENSSL_ENC) {
            f = new Files4(f.ca, f.capath, Optional.empty(), Optional.empty());
        }
        String simulated = simulateNoCertificate && encrypt != Encrypt.OPENSSL_ENC ? " (" + org.sstorchestrator.states.config.TestHooks
                .NO_SSL_CERT + " is set in mysqld's environment: the certificate and key are treated as absent)" : "";
        if (mode != SslMode.DISABLED && encrypt == Encrypt.NONE && f.cert.isPresent() && f.key.isPresent()) {
            encrypt = Encrypt.TLS_KEY_AND_CERT; // as stock: an ssl-mode with a certificate and key turns TLS on
            if (!mode.verifies()) { // REQUIRED: encrypted, nobody verified (the nodes may have different CAs)
                f = new Files4(Optional.empty(), Optional.empty(), f.cert, f.key);
            }
        }
        infos.add(StockLine.SSL_CONFIGURATION.with(show(f.ca), show(f.capath), show(f.cert), show(f.key), mode, encrypt));
        if (mode != SslMode.DISABLED && encrypt == Encrypt.NONE) {
            throw StockLine.SSL_MODE_WITHOUT_CERTIFICATE.failure(ExitCode.EINVAL,
                    simulated.isEmpty() ? missing(f, role) : simulated, mode);
        }
        Optional<Setting> dhparams = encrypt.tls() ? setting(cnf, Opt.SSL_DHPARAMS) : Optional.empty();
        TlsSettings s = new TlsSettings(role, encrypt, mode, f.ca, f.capath, f.cert, f.key, dhparams, warnings,
                TlsOptions.NONE);
        s.checkLevel(encryptValue, simulated);
        return s;
    }

    /** The stock get_transfer's checks of what each level needs, with its words, and ours for P8. */
    private void checkLevel(String encryptValue, String simulated) {
        if (!encrypt.tls()) {
            return;
        }
        boolean hasCa = ca.isPresent() || capath.isPresent();
        String setting = " (encrypt = '" + encryptValue.strip() + "', " + role.label() + ")" + simulated;
        if (encrypt.keyInCertificateFile() && (cert.isEmpty() || !hasCa)) {
            throw StockLine.PEM_AND_CRT_REQUIRED.failure(ExitCode.EINVAL, setting + ": encrypt=2 needs " + certName()
                    + " (holding the certificate and its key) and " + caName() + " or " + capathName());
        }
        if (encrypt.needsKey() && (cert.isEmpty() || key.isEmpty())) {
            throw StockLine.CERTIFICATE_AND_KEY_REQUIRED.failure(ExitCode.EINVAL, setting + ": set " + certName() + " and "
                    + keyName());
        }
        if (encrypt == Encrypt.TLS_KEY_CERT_AND_CA && !hasCa) {
            throw StockLine.PEER_CERTIFICATE_REQUIRED.failure(ExitCode.EINVAL, setting + ": set " + caName() + " or "
                    + capathName());
        }
        if (mode.verifies() && !hasCa) {
            throw new SstException(ExitCode.EINVAL, "ssl-mode is set to '" + mode + "', but no ssl-ca or ssl-capath"
                    + " names a CA to verify the peer against" + setting + "; set " + caName() + " or ssl-mode=REQUIRED"
                    + " (the stock script would transfer unverified here; mariabackup_sm never verifies less than asked)");
        }
        if (!hasCa) {
            warnings.add("encrypt=3 without ssl-ca or ssl-capath: the transfer is encrypted, but neither node verifies"
                    + " the other's certificate (as with the stock script's verify=0); set " + caName()
                    + " to authenticate the peer");
        }
    }

    private static Encrypt encryptLevel(String value) {
        String v = value.strip();
        if (v.matches("[0-4]")) {
            return Encrypt.of(Integer.parseInt(v));
        }
        throw StockLine.UNKNOWN_ENCRYPTION_MODE.failure(ExitCode.EINVAL, " (encrypt = '" + printable(value)
                + "' is invalid: expected 0, 1, 2, 3 or 4)", printable(v));
    }

    private record Files4(Optional<Setting> ca, Optional<Setting> capath, Optional<Setting> cert, Optional<Setting> key) {
        static final Files4 NONE = new Files4(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Files4 files(OptionFiles cnf, Role role, List<StockLine.Printed> infos) {
        Files4 legacy = new Files4(setting(cnf, Opt.TCA), setting(cnf, Opt.TCAPATH), setting(cnf, Opt.TCERT),
                setting(cnf, Opt.TKEY));
        Files4 fresh = new Files4(setting(cnf, Opt.SSL_CA), setting(cnf, Opt.SSL_CAPATH), setting(cnf, Opt.SSL_CERT),
                setting(cnf, Opt.SSL_KEY));
        Files4 base;
        if (legacy.ca.isEmpty() && legacy.capath.isEmpty() && legacy.cert.isEmpty() && legacy.key.isEmpty()) {
            base = fresh;
        } else {
            base = legacy;
            boolean anyFresh = fresh.ca.isPresent() || fresh.capath.isPresent() || fresh.cert.isPresent()
                    || fresh.key.isPresent();
            if (anyFresh && !(samePath(legacy.ca, fresh.ca) && samePath(legacy.capath, fresh.capath)
                    && samePath(legacy.cert, fresh.cert) && samePath(legacy.key, fresh.key))) {
                infos.add(StockLine.SSL_OPTIONS_IGNORED.with());
            }
        }
        boolean joiner = role == Role.JOINER;
        Files4 f = new Files4(
                setting(cnf, joiner ? Opt.SSL_SERVER_CA : Opt.SSL_CLIENT_CA).or(() -> base.ca),
                setting(cnf, joiner ? Opt.SSL_SERVER_CAPATH : Opt.SSL_CLIENT_CAPATH).or(() -> base.capath),
                setting(cnf, joiner ? Opt.SSL_SERVER_CERT : Opt.SSL_CLIENT_CERT).or(() -> base.cert),
                setting(cnf, joiner ? Opt.SSL_SERVER_KEY : Opt.SSL_CLIENT_KEY).or(() -> base.key));
        if (f.ca.isPresent()) {
            Setting ca = f.ca.get();
            if (ca.path().endsWith(".") || Files.isDirectory(ca.path())) { // as stock: a CA that is a directory is a CA path
                Path dir = ca.path().endsWith(".") ? ca.path().getParent() : ca.path();
                f = new Files4(Optional.empty(), Optional.of(new Setting(ca.name(), dir)), f.cert, f.key);
            }
        }
        return f;
    }

    private static boolean samePath(Optional<Setting> a, Optional<Setting> b) {
        return a.map(Setting::path).equals(b.map(Setting::path));
    }

    private static Optional<Setting> setting(OptionFiles cnf, Opt o) {
        return o.value(cnf).map(v -> Setting.of(o.named(), v));
    }

    /** TLS on the wire: encrypt 2, 3 or 4 (after the ssl-mode rule). */
    public boolean tls() {
        return encrypt.tls();
    }

    /**
     * Whether this side verifies the peer's chain (socat's verify=1): a CA file or path is set,
     * and sockopt does not say verify=0.
     */
    public boolean verifiesPeer() {
        return (ca.isPresent() || capath.isPresent()) && options.verify().orElse(true);
    }

    /** These settings with sockopt's OPENSSL options, resolved by config.SocatTls. */
    public TlsSettings with(TlsOptions o) {
        return new TlsSettings(role, encrypt, mode, ca, capath, cert, key, dhparams, warnings, o);
    }

    /** These settings with the key (encrypt=2: socat's key= beside cert=) and DH parameters sockopt names. */
    public TlsSettings withFiles(Optional<Setting> k, Optional<Setting> dh) {
        return new TlsSettings(role, encrypt, mode, ca, capath, cert, k, dh, warnings, options);
    }

    /** encrypt=2: socat's cert= file holds the key too (no key=). */
    public boolean keyInCertificateFile() {
        return encrypt.keyInCertificateFile();
    }

    /** The joiner prefixes its address with {@code <CN>:<secret>@} (any VERIFY mode, whatever encrypt is). */
    public boolean joinerSendsSecret() {
        return mode.verifies();
    }

    /** One line for the record and the log: "encrypt=4 ssl-mode=VERIFY_IDENTITY". */
    public String describe() {
        return "encrypt=" + encrypt + " ssl-mode=" + mode;
    }

    private String certName() {
        return cert.map(Setting::name).orElse(role == Role.JOINER ? "ssl-cert (or ssl-server-cert)" : "ssl-cert (or ssl-client-cert)");
    }

    private String keyName() {
        return key.map(Setting::name).orElse(role == Role.JOINER ? "ssl-key (or ssl-server-key)" : "ssl-key (or ssl-client-key)");
    }

    private String caName() {
        return ca.map(Setting::name).orElse(role == Role.JOINER ? "ssl-ca (or ssl-server-ca)" : "ssl-ca (or ssl-client-ca)");
    }

    private String capathName() {
        return capath.map(Setting::name).orElse("ssl-capath");
    }

    private static String missing(Files4 f, Role role) {
        String side = role == Role.JOINER ? "ssl-server-" : "ssl-client-";
        return " (" + role.label() + ": " + (f.cert.isEmpty() ? "no ssl-cert/" + side + "cert" : "ssl-cert set")
                + ", " + (f.key.isEmpty() ? "no ssl-key/" + side + "key" : "ssl-key set") + ")";
    }

    private static String show(Optional<Setting> s) {
        return s.map(x -> x.path().toString()).orElse("");
    }

    private static String printable(String v) {
        return org.sstorchestrator.states.args.SstAddress.printable(v);
    }
}
