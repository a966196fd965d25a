package org.sstorchestrator.states.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.TlsSettings.Setting;

/**
 * socat's OPENSSL options in {@code [sst] sockopt} (socat 1.7.4's, under its canonical names:
 * {@link SockOpts.Tls}), resolved into what our TLS transport applies ({@link TlsOptions}), with
 * their socat meaning:
 * <ul>
 *   <li>{@code cipher}: OpenSSL's cipher list, read by {@link OpensslCipherList} into JSSE's
 *       suites; one that leaves none is refused (22), as socat fails on it;</li>
 *   <li>{@code min-version}, {@code max-version} ({@code TLS1.2}, {@code TLS1.3}...): the
 *       protocols; JSSE speaks 1.2 and 1.3 here, so a range without them is refused;</li>
 *   <li>{@code verify}: 0, this side does not verify its peer (refused with a VERIFY ssl-mode,
 *       which asks the opposite); 1 needs a CA to verify against;</li>
 *   <li>{@code commonname}: the name this side checks in the peer's certificate ({@code ''}:
 *       the chain alone); on the joiner, as socat's listener, it checks the donor's;</li>
 *   <li>{@code no-sni}, {@code snihost}: whether, and with which name, the donor sends SNI (the
 *       stock script's no-sni=1 is the default); on the joiner, the TLS server, they mean
 *       nothing and are refused, as socat's listener refuses them;</li>
 *   <li>{@code dhparam}: the joiner's DH parameters, before ssl-dhparams, as the stock script
 *       lets sockopt's win;</li>
 *   <li>{@code cert}, {@code key}, {@code cafile}, {@code capath}: the stock script puts its own
 *       (the ssl-* files) first in socat's address and socat takes the first, so they are
 *       accepted when they name the same file, and refused when they name another: set the
 *       ssl-* option. Only {@code key} with encrypt=2, where the script gives socat none,
 *       names the key file;</li>
 *   <li>{@code compress=none} is what JSSE does; {@code compress=auto}, {@code egd},
 *       {@code pseudo} (OpenSSL's TLS compression and entropy sources) have no meaning here
 *       and are refused, named.</li>
 * </ul>
 * With the stock script, an option it sets itself (commonname=, the donor's no-sni=1, cert=,
 * key=, cafile=, verify=0 without a CA) and sockopt repeats fails the SST: socat refuses an
 * option given twice ("option(s) could not be used"). Ours applies what sockopt says.
 */
public final class SocatTls {

    /** socat's protocol names (the 'v' optional, any case) → JSSE's; null: none that means anything for us. */
    private static final Map<String, String> PROTOCOLS = Map.of("SSL3", "SSLv3", "TLS1", "TLSv1", "TLS1.0", "TLSv1",
            "TLS1.1", "TLSv1.1", "TLS1.2", "TLSv1.2", "TLS1.3", "TLSv1.3");
    /** The protocols JSSE speaks here (17: 1.1 and older are disabled), oldest first. */
    private static final List<String> SPOKEN = List.of("TLSv1.2", "TLSv1.3");
    private static final List<String> ORDER = List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private SocatTls() {
    }

    /**
     * {@code s} with sockopt's OPENSSL options applied ({@code s} itself when there are none);
     * what was passed over goes to {@code warnings}. Refusals are exit 22 naming the option.
     */
    public static TlsSettings apply(SockOpts.Tls raw, TlsSettings s, List<String> warnings) {
        if (raw.isEmpty() || !s.tls()) {
            return s;
        }
        List<String> applied = new ArrayList<>();
        List<String> suites = cipherSuites(raw, applied, warnings);
        List<String> protocols = protocols(raw, applied);
        Optional<Boolean> verify = raw.verify();
        boolean hasCa = s.ca().isPresent() || s.capath().isPresent();
        if (verify.isPresent()) {
            if (!verify.get() && s.mode().verifies()) {
                throw invalid(raw, "verify=0", "it turns off the verification ssl-mode=" + s.mode() + " asks for; remove"
                        + " one of them");
            }
            if (verify.get() && !hasCa) {
                throw invalid(raw, "verify=1", "there is no CA to verify the peer against; set ssl-ca or ssl-capath");
            }
            applied.add("verify=" + (verify.get() ? 1 : 0));
        }
        boolean verifies = hasCa && verify.orElse(true);
        Optional<String> peerName = raw.commonName();
        peerName.ifPresent(n -> {
            applied.add("commonname='" + n + "'");
            if (!verifies) {
                warnings.add("[sst] sockopt commonname='" + n + "' checks nothing: this node does not verify its peer"
                        + " (no ssl-ca, or verify=0), as with socat");
            }
        });
        Optional<String> sni = sni(raw, s.role(), applied);
        TlsSettings out = files(raw, s, applied);
        if (raw.get("openssl-compress").isPresent()) {
            if (!raw.get("openssl-compress").get().equalsIgnoreCase("none")) {
                throw invalid(raw, "compress=" + raw.get("openssl-compress").get(), "TLS compression has no meaning for"
                        + " this TLS transport (JSSE never compresses); remove it or write compress=none");
            }
            applied.add("compress=none");
        }
        for (String name : List.of("openssl-egd", "openssl-pseudo")) {
            if (raw.get(name).isPresent()) {
                throw invalid(raw, name.substring("openssl-".length()), "it feeds OpenSSL's random numbers, which this TLS"
                        + " transport does not use (the JDK's SecureRandom, AWS-LC's where installed); remove it");
            }
        }
        return out.with(new TlsOptions(suites, protocols, verify, peerName, sni, applied));
    }

    private static List<String> cipherSuites(SockOpts.Tls raw, List<String> applied, List<String> warnings) {
        Optional<String> list = raw.cipher();
        if (list.isEmpty()) {
            return List.of();
        }
        OpensslCipherList.Result r = OpensslCipherList.read(list.get());
        if (r.suites().isEmpty()) {
            throw invalid(raw, "cipher=" + list.get(), "it leaves none of the TLS 1.2 suites this TLS transport has"
                    + " (OpenSSL names such as ECDHE-RSA-AES128-GCM-SHA256, or aliases such as HIGH or ECDHE+AESGCM);"
                    + " socat would fail on it too ('no cipher match')");
        }
        if (!r.unmatched().isEmpty()) {
            warnings.add("[sst] sockopt cipher=" + list.get() + ": " + String.join(", ", r.unmatched())
                    + " name no suite this TLS transport has and are passed over, as OpenSSL passes over what it does"
                    + " not have");
        }
        applied.add("cipher=" + list.get() + " (" + r.suites().size() + " TLS 1.2 suites; TLS 1.3's stay, as with"
                + " OpenSSL)");
        List<String> out = new ArrayList<>(OpensslCipherList.TLS13);
        out.addAll(r.suites());
        return out;
    }

    private static List<String> protocols(SockOpts.Tls raw, List<String> applied) {
        Optional<String> min = raw.minProtocol().map(v -> protocol(raw, "min-version", v));
        Optional<String> max = raw.maxProtocol().map(v -> protocol(raw, "max-version", v));
        if (min.isEmpty() && max.isEmpty()) {
            return List.of();
        }
        int from = min.map(ORDER::indexOf).orElse(0);
        int to = max.map(ORDER::indexOf).orElse(ORDER.size() - 1);
        List<String> out = SPOKEN.stream().filter(p -> ORDER.indexOf(p) >= from && ORDER.indexOf(p) <= to).toList();
        String range = min.map(m -> "min-version=" + m).orElse("") + (min.isPresent() && max.isPresent() ? "," : "")
                + max.map(m -> "max-version=" + m).orElse("");
        if (out.isEmpty()) {
            throw invalid(raw, range, "it leaves no protocol this TLS transport speaks here (TLS 1.2 and 1.3; older ones"
                    + " are disabled in the JDK)");
        }
        applied.add(range + " (" + String.join(", ", out) + ")");
        return out;
    }

    private static String protocol(SockOpts.Tls raw, String option, String value) {
        String v = value.toUpperCase(Locale.ROOT).replaceFirst("^(TLS|SSL)V", "$1");
        String p = PROTOCOLS.get(v);
        if (p == null) {
            throw invalid(raw, option + "=" + value, v.startsWith("DTLS") ? "DTLS has no meaning on a TCP stream"
                    : v.equals("SSL2") ? "SSLv2 has no meaning for this TLS transport (nor for socat on OpenSSL 3)"
                    : "socat knows SSL3, TLS1, TLS1.1, TLS1.2 and TLS1.3");
        }
        return p;
    }

    private static Optional<String> sni(SockOpts.Tls raw, Role role, List<String> applied) {
        Optional<Boolean> noSni = raw.noSni();
        Optional<String> host = raw.sniHost();
        if (noSni.isEmpty() && host.isEmpty()) {
            return Optional.empty();
        }
        if (role == Role.JOINER) {
            throw invalid(raw, noSni.isPresent() ? "no-sni" : "snihost", "the joiner is the TLS server, which sends no"
                    + " SNI: it has no meaning there, and socat's listener refuses it too ('option(s) could not be used');"
                    + " give it to the donor alone");
        }
        if (noSni.orElse(false)) { // socat: no-sni=1 wins over snihost
            applied.add("no-sni=1");
            return Optional.empty();
        }
        applied.add("SNI " + host.map(h -> "'" + h + "'").orElse("with the joiner's host name"));
        return Optional.of(host.orElse(""));
    }

    /** cert, key, cafile, capath, dhparam: see the class comment. */
    private static TlsSettings files(SockOpts.Tls raw, TlsSettings s, List<String> applied) {
        same(raw, "openssl-certificate", "cert", s.cert());
        Optional<Setting> key = s.key();
        Optional<String> k = raw.get("openssl-key");
        if (k.isPresent() && s.keyInCertificateFile() && s.key().isEmpty()) {
            key = Optional.of(new Setting("[sst] sockopt key", Path.of(k.get()))); // socat's key= beside cert=, as stock
            applied.add("key=" + k.get());
        } else {
            same(raw, "openssl-key", "key", s.key());
        }
        same(raw, "openssl-cafile", "cafile", s.ca());
        same(raw, "openssl-capath", "capath", s.capath());
        Optional<Setting> dh = s.dhparams();
        Optional<String> d = raw.get("openssl-dhparam");
        if (d.isPresent()) {
            dh = Optional.of(new Setting("[sst] sockopt dhparam", Path.of(d.get())));
            applied.add("dhparam=" + d.get() + (s.role() == Role.JOINER ? "" : " (nothing on the donor, the TLS client)"));
        }
        return s.withFiles(key, dh);
    }

    private static void same(SockOpts.Tls raw, String canonical, String name, Optional<Setting> configured) {
        Optional<String> v = raw.get(canonical);
        if (v.isEmpty() || configured.isPresent() && configured.get().path().equals(Path.of(v.get()))) {
            return;
        }
        throw invalid(raw, name + "=" + v.get(), configured.map(c -> "it is not " + c + ", which the stock script gives"
                + " socat itself").orElse("the stock script gives socat no " + name + " here") + "; name the file with the"
                + " ssl-* option instead (ssl-cert, ssl-key, ssl-ca, ssl-capath)");
    }

    private static SstException invalid(SockOpts.Tls raw, String what, String why) {
        return new SstException(ExitCode.EINVAL, "[sst] sockopt " + what + " is refused: " + why);
    }
}
