package org.sstorchestrator.states.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.sstorchestrator.wire.tcp.SocketOptions;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * {@code [sst] sockopt}, in the syntax of the socat address options the stock script appends
 * it to on both roles ({@code keepalive,keepidle=30,pf=ip4}): the socket options socat 1.7.4
 * takes for a TCP address, under socat's names and aliases, and its OPENSSL options, which the
 * TLS transport reads from {@link #tls()}. Like socat, integer and boolean options take a
 * number ({@code keepalive} alone is 1, {@code keepalive=0} turns it off) and an option socat
 * does not know is an error: here exit 22 at once, naming the option and its value, never
 * ignored. The stock script trims blanks and commas from both ends; so do we. What the
 * OPENSSL options mean for our TLS is {@link SocatTls}'s business.
 *
 * <p>Where socat itself refuses an option for the address it builds, the stock SST fails on
 * that node; we refuse the same options up front: the OPENSSL ones without TLS (socat: "not
 * supported with this address type"), see {@link #tlsOptionsWithoutTls}.
 */
public record SockOpts(
        String source,
        /* what is set on the sockets: bind=, pf=, keepalive and its timers, nodelay, buffers, linger, tos, backlog... */
        SocketOptions socket,
        Tls tls) {

    /** socat's OPENSSL address options, as given; what each means is the TLS transport's business. */
    public record Tls(Map<String, String> options) {

        public Tls {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        public boolean isEmpty() {
            return options.isEmpty();
        }

        public Optional<String> cipher() {
            return get("openssl-cipherlist");
        }

        public Optional<String> commonName() {
            return get("openssl-commonname");
        }

        /** verify=0 turns peer verification off, as socat's; absent: verify (socat's default). */
        public Optional<Boolean> verify() {
            return get("openssl-verify").map(v -> !v.equals("0"));
        }

        public Optional<Boolean> noSni() {
            return get("openssl-no-sni").map(v -> !v.equals("0"));
        }

        public Optional<String> sniHost() {
            return get("openssl-snihost");
        }

        public Optional<String> minProtocol() {
            return get("openssl-min-proto-version");
        }

        public Optional<String> maxProtocol() {
            return get("openssl-max-proto-version");
        }

        /** Any OPENSSL option by socat's canonical name ({@code openssl-cafile}, {@code openssl-dhparam}...). */
        public Optional<String> get(String canonical) {
            return Optional.ofNullable(options.get(canonical));
        }
    }

    public static SockOpts none() {
        return parse("[sst] sockopt", "");
    }

    public boolean isEmpty() {
        return source.isEmpty();
    }

    /** The socket options that are not TLS ones, for logs: "keepalive,pf=ip4". */
    public String describe() {
        return source.isEmpty() ? "none" : source;
    }

    private enum Kind { BOOL, INT, STRING, TIME, FAMILY }

    private record Known(String canonical, Kind kind) {
    }

    /** socat 1.7.4.4's names for what we apply (socat -hhh), aliases included. */
    private static final Map<String, Known> KNOWN = new LinkedHashMap<>();

    private static void known(String canonical, Kind kind, String... aliases) {
        KNOWN.put(canonical, new Known(canonical, kind));
        for (String a : aliases) {
            KNOWN.put(a, new Known(canonical, kind));
        }
    }

    static {
        known("bind", Kind.STRING);
        known("protocol-family", Kind.FAMILY, "pf");
        known("so-keepalive", Kind.BOOL, "keepalive");
        known("tcp-keepidle", Kind.INT, "keepidle");
        known("tcp-keepintvl", Kind.INT, "keepintvl");
        known("tcp-keepcnt", Kind.INT, "keepcnt");
        known("tcp-nodelay", Kind.BOOL, "nodelay");
        known("so-rcvbuf", Kind.INT, "rcvbuf");
        known("so-sndbuf", Kind.INT, "sndbuf");
        known("so-reuseaddr", Kind.BOOL, "reuseaddr");
        known("so-reuseport", Kind.BOOL, "reuseport");
        known("so-linger", Kind.INT, "linger");
        known("connect-timeout", Kind.TIME);
        known("backlog", Kind.INT);
        known("ip-tos", Kind.INT, "tos");
        // OPENSSL group: recorded for the TLS transport
        known("openssl-cafile", Kind.STRING, "cafile");
        known("openssl-capath", Kind.STRING, "capath");
        known("openssl-certificate", Kind.STRING, "cert", "certificate");
        known("openssl-cipherlist", Kind.STRING, "cipher", "cipherlist", "ciphers");
        known("openssl-commonname", Kind.STRING, "cn", "commonname");
        known("openssl-compress", Kind.STRING, "compress");
        known("openssl-dhparam", Kind.STRING, "dh", "dhparam", "dhparams", "openssl-dhparams");
        known("openssl-egd", Kind.STRING, "egd");
        known("openssl-key", Kind.STRING, "key");
        known("openssl-max-proto-version", Kind.STRING, "max-version");
        known("openssl-min-proto-version", Kind.STRING, "min-version");
        known("openssl-no-sni", Kind.BOOL, "no-sni", "nosni");
        known("openssl-pseudo", Kind.BOOL, "pseudo");
        known("openssl-snihost", Kind.STRING, "snihost");
        known("openssl-verify", Kind.BOOL, "verify");
    }

    public static SockOpts parse(String setting, String value) {
        String trimmed = trim(value);
        Map<String, String> given = new LinkedHashMap<>();
        Map<String, String> tls = new LinkedHashMap<>();
        if (!trimmed.isEmpty()) {
            for (String item : trimmed.split(",")) {
                String it = item.strip();
                if (it.isEmpty()) {
                    continue;
                }
                int eq = it.indexOf('=');
                String name = (eq < 0 ? it : it.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                String v = eq < 0 ? null : unquote(it.substring(eq + 1).strip());
                Known k = KNOWN.get(name);
                if (k == null) {
                    throw invalid(setting, value, "the socat option '" + name + "'" + (v == null ? "" : " (value '" + v + "')")
                            + " is not one mariabackup_sm applies; it knows " + names());
                }
                String checked = check(setting, value, name, k.kind, v);
                (k.canonical.startsWith("openssl-") ? tls : given).put(k.canonical, checked);
            }
        }
        return new SockOpts(trimmed, new SocketOptions(setting,
                str(given, "bind"),
                str(given, "protocol-family").map(f -> f.equals("6") ? SocketOptions.Family.IPV6 : SocketOptions.Family.IPV4),
                bool(given, "so-keepalive"),
                integer(given, "tcp-keepidle"),
                integer(given, "tcp-keepintvl"),
                integer(given, "tcp-keepcnt"),
                bool(given, "tcp-nodelay"),
                integer(given, "so-rcvbuf"),
                integer(given, "so-sndbuf"),
                bool(given, "so-reuseaddr"),
                bool(given, "so-reuseport"),
                integer(given, "so-linger"),
                str(given, "connect-timeout").map(s -> Duration.ofNanos((long) (Double.parseDouble(s) * 1e9))),
                integer(given, "backlog"),
                integer(given, "ip-tos")),
                new Tls(tls));
    }

    /**
     * The OPENSSL options, refused when the stream is not TLS: socat itself refuses them on the
     * plain TCP address the stock script then builds ("option ... not supported with this
     * address type"), so such a stock SST fails on both nodes.
     */
    public void tlsOptionsWithoutTls(String setting) {
        if (!tls.isEmpty()) {
            String first = tls.options().keySet().iterator().next();
            throw invalid(setting, source, "'" + first + "' is a TLS option and this SST is not TLS (encrypt is not 2, 3"
                    + " or 4): socat refuses it on a plain TCP address, so the stock script would fail too; remove it, or"
                    + " turn TLS on");
        }
    }

    private static String check(String setting, String value, String name, Kind kind, String v) {
        switch (kind) {
            case BOOL, INT -> {
                if (v == null) {
                    return "1"; // socat: a bare integer or boolean option is 1
                }
                if (!v.matches("-?[0-9]{1,9}")) {
                    throw invalid(setting, value, "'" + name + "=" + v + "' needs a number, as socat reads it"
                            + (kind == Kind.BOOL ? " (0 off, 1 on)" : ""));
                }
                if (kind == Kind.INT && v.startsWith("-")) {
                    throw invalid(setting, value, "'" + name + "=" + v + "' must not be negative");
                }
                return kind == Kind.BOOL ? (Long.parseLong(v) != 0 ? "1" : "0") : v;
            }
            case TIME -> {
                if (v == null || !v.matches("[0-9]{1,6}(\\.[0-9]{1,6})?")) {
                    throw invalid(setting, value, "'" + name + "' needs seconds (a decimal number), got " + quoteOrNone(v));
                }
                return v;
            }
            case FAMILY -> {
                String f = v == null ? "" : v.toLowerCase(Locale.ROOT);
                return switch (f) {
                    case "ip4", "ipv4", "inet", "inet4", "4" -> "4";
                    case "ip6", "ipv6", "inet6", "6" -> "6";
                    default -> throw invalid(setting, value, "'" + name + "' is ip4 or ip6, got " + quoteOrNone(v));
                };
            }
            default -> {
                if (v == null || v.isEmpty() && !name.contains("commonname") && !name.equals("cn")) {
                    throw invalid(setting, value, "'" + name + "' needs a value");
                }
                return v;
            }
        }
    }

    private static String quoteOrNone(String v) {
        return v == null ? "nothing" : "'" + v + "'";
    }

    /** Values may carry the quotes the stock script's shell would have removed: commonname='' . */
    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** The stock script's trim_string with ',': blanks and commas go from both ends. */
    static String trim(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && (Character.isWhitespace(value.charAt(from)) || value.charAt(from) == ',')) {
            from++;
        }
        while (to > from && (Character.isWhitespace(value.charAt(to - 1)) || value.charAt(to - 1) == ',')) {
            to--;
        }
        return value.substring(from, to);
    }

    private static String names() {
        List<String> n = new ArrayList<>();
        KNOWN.forEach((name, k) -> {
            if (!name.startsWith("openssl-") && !name.startsWith("so-") && !name.startsWith("tcp-")
                    && !name.equals("protocol-family") && !name.equals("ip-tos") && !k.canonical.startsWith("openssl-")) {
                n.add(name);
            }
        });
        return String.join(", ", n) + " (and socat's long names), and the OPENSSL options (cipher, commonname, verify,"
                + " no-sni, ...) for TLS";
    }

    private static Optional<String> str(Map<String, String> m, String k) {
        return Optional.ofNullable(m.get(k));
    }

    private static Optional<Boolean> bool(Map<String, String> m, String k) {
        return str(m, k).map(v -> v.equals("1"));
    }

    private static OptionalInt integer(Map<String, String> m, String k) {
        return m.containsKey(k) ? OptionalInt.of(Integer.parseInt(m.get(k))) : OptionalInt.empty();
    }

    private static SstException invalid(String setting, String value, String why) {
        return new SstException(ExitCode.EINVAL, setting + " = '" + value + "' is invalid: " + why);
    }
}
