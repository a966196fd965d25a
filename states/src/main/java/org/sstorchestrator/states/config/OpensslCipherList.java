package org.sstorchestrator.states.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * socat's {@code cipher=} (OpenSSL's cipher list, {@code SSL_CTX_set_cipher_list}) read as
 * OpenSSL reads it, over the TLS 1.2 suites JSSE offers, named as JSSE names them: items
 * separated by {@code :}, blanks or {@code ;}; a suite's OpenSSL name or an alias ({@code HIGH},
 * {@code ECDHE}, {@code AESGCM}, {@code kRSA}, {@code SHA1}, {@code TLSv1.2} ...), or aliases
 * joined by {@code +} (all of them); {@code !} removes for good, {@code -} removes, {@code +}
 * moves to the end, {@code @STRENGTH} sorts by key length. A word that names nothing is
 * passed over, as OpenSSL passes it over; a list that leaves no suite is refused, as socat
 * fails then. Like OpenSSL's cipher list it says nothing of TLS 1.3's suites: those stay
 * enabled ({@link #TLS13}), so with both sides on TLS 1.3 a cipher list changes nothing, as
 * with socat, unless max-version=TLS1.2 goes with it.
 */
public final class OpensslCipherList {

    /** TLS 1.3's suites, which no OpenSSL cipher list touches (their own list is {@code -ciphersuites}). */
    public static final List<String> TLS13 = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256");

    private enum A {
        K_ECDHE, K_DHE, K_RSA, A_ECDSA, A_RSA, A_DSS, AES128, AES256, GCM, CHACHA20, SHA1, SHA256, SHA384,
        V_TLS12, V_TLS10, V_SSL3
    }

    /** One TLS 1.2 suite JSSE offers (17: its default list), with OpenSSL's name and what its aliases look at. */
    private record Suite(String jsse, String openssl, Set<A> is, int bits) {
    }

    private static final List<Suite> SUITES = new ArrayList<>();

    private static void suite(String jsse, String openssl, A... is) {
        Set<A> s = EnumSet.noneOf(A.class);
        s.addAll(List.of(is));
        SUITES.add(new Suite(jsse, openssl, s, s.contains(A.AES128) ? 128 : 256));
    }

    static {
        // JSSE's default order, which an alias adds them in
        suite("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", A.K_ECDHE, A.A_ECDSA, A.AES256, A.GCM, A.V_TLS12);
        suite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", A.K_ECDHE, A.A_ECDSA, A.AES128, A.GCM, A.V_TLS12);
        suite("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", A.K_ECDHE, A.A_ECDSA, A.CHACHA20, A.V_TLS12);
        suite("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", A.K_ECDHE, A.A_RSA, A.AES256, A.GCM, A.V_TLS12);
        suite("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", A.K_ECDHE, A.A_RSA, A.CHACHA20, A.V_TLS12);
        suite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", A.K_ECDHE, A.A_RSA, A.AES128, A.GCM, A.V_TLS12);
        suite("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384", A.K_DHE, A.A_RSA, A.AES256, A.GCM, A.V_TLS12);
        suite("TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305", A.K_DHE, A.A_RSA, A.CHACHA20, A.V_TLS12);
        suite("TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "DHE-DSS-AES256-GCM-SHA384", A.K_DHE, A.A_DSS, A.AES256, A.GCM, A.V_TLS12);
        suite("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256", A.K_DHE, A.A_RSA, A.AES128, A.GCM, A.V_TLS12);
        suite("TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "DHE-DSS-AES128-GCM-SHA256", A.K_DHE, A.A_DSS, A.AES128, A.GCM, A.V_TLS12);
        suite("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384", A.K_ECDHE, A.A_ECDSA, A.AES256, A.SHA384, A.V_TLS12);
        suite("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", A.K_ECDHE, A.A_RSA, A.AES256, A.SHA384, A.V_TLS12);
        suite("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", A.K_ECDHE, A.A_ECDSA, A.AES128, A.SHA256, A.V_TLS12);
        suite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", A.K_ECDHE, A.A_RSA, A.AES128, A.SHA256, A.V_TLS12);
        suite("TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256", A.K_DHE, A.A_RSA, A.AES256, A.SHA256, A.V_TLS12);
        suite("TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "DHE-DSS-AES256-SHA256", A.K_DHE, A.A_DSS, A.AES256, A.SHA256, A.V_TLS12);
        suite("TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256", A.K_DHE, A.A_RSA, A.AES128, A.SHA256, A.V_TLS12);
        suite("TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", "DHE-DSS-AES128-SHA256", A.K_DHE, A.A_DSS, A.AES128, A.SHA256, A.V_TLS12);
        suite("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", A.K_ECDHE, A.A_ECDSA, A.AES256, A.SHA1, A.V_TLS10);
        suite("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", A.K_ECDHE, A.A_RSA, A.AES256, A.SHA1, A.V_TLS10);
        suite("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", A.K_ECDHE, A.A_ECDSA, A.AES128, A.SHA1, A.V_TLS10);
        suite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", A.K_ECDHE, A.A_RSA, A.AES128, A.SHA1, A.V_TLS10);
        suite("TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA", A.K_DHE, A.A_RSA, A.AES256, A.SHA1, A.V_SSL3);
        suite("TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "DHE-DSS-AES256-SHA", A.K_DHE, A.A_DSS, A.AES256, A.SHA1, A.V_SSL3);
        suite("TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", A.K_DHE, A.A_RSA, A.AES128, A.SHA1, A.V_SSL3);
        suite("TLS_DHE_DSS_WITH_AES_128_CBC_SHA", "DHE-DSS-AES128-SHA", A.K_DHE, A.A_DSS, A.AES128, A.SHA1, A.V_SSL3);
        suite("TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", A.K_RSA, A.A_RSA, A.AES256, A.GCM, A.V_TLS12);
        suite("TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", A.K_RSA, A.A_RSA, A.AES128, A.GCM, A.V_TLS12);
        suite("TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256", A.K_RSA, A.A_RSA, A.AES256, A.SHA256, A.V_TLS12);
        suite("TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", A.K_RSA, A.A_RSA, A.AES128, A.SHA256, A.V_TLS12);
        suite("TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", A.K_RSA, A.A_RSA, A.AES256, A.SHA1, A.V_SSL3);
        suite("TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", A.K_RSA, A.A_RSA, A.AES128, A.SHA1, A.V_SSL3);
    }

    /** OpenSSL's aliases, as its ciphers(1) defines them, over these suites; those that match none of them match none. */
    private static final Map<String, Predicate<Suite>> ALIASES = Map.ofEntries(
            // OpenSSL 3's DEFAULT leaves out DSS (COMPLEMENTOFDEFAULT), as the installed openssl shows
            Map.entry("ALL", s -> true), Map.entry("DEFAULT", has(A.A_DSS).negate()), Map.entry("HIGH", s -> true),
            Map.entry("COMPLEMENTOFDEFAULT", has(A.A_DSS)),
            Map.entry("KRSA", has(A.K_RSA)), Map.entry("RSA", has(A.K_RSA)), Map.entry("ARSA", has(A.A_RSA)),
            Map.entry("KEDH", has(A.K_DHE)), Map.entry("KDHE", has(A.K_DHE)), Map.entry("EDH", has(A.K_DHE)),
            Map.entry("DHE", has(A.K_DHE)), Map.entry("DH", has(A.K_DHE)),
            Map.entry("KEECDH", has(A.K_ECDHE)), Map.entry("KECDHE", has(A.K_ECDHE)), Map.entry("EECDH", has(A.K_ECDHE)),
            Map.entry("ECDHE", has(A.K_ECDHE)), Map.entry("ECDH", has(A.K_ECDHE)),
            Map.entry("AECDSA", has(A.A_ECDSA)), Map.entry("ECDSA", has(A.A_ECDSA)),
            Map.entry("ADSS", has(A.A_DSS)), Map.entry("DSS", has(A.A_DSS)),
            Map.entry("AES", has(A.AES128).or(has(A.AES256))), Map.entry("AES128", has(A.AES128)),
            Map.entry("AES256", has(A.AES256)), Map.entry("AESGCM", has(A.GCM)), Map.entry("CHACHA20", has(A.CHACHA20)),
            Map.entry("SHA1", has(A.SHA1)), Map.entry("SHA", has(A.SHA1)), Map.entry("SHA256", has(A.SHA256)),
            Map.entry("SHA384", has(A.SHA384)), Map.entry("TLSV1.2", has(A.V_TLS12)), Map.entry("TLSV1.0", has(A.V_TLS10)),
            Map.entry("TLSV1", has(A.V_TLS10)), Map.entry("SSLV3", has(A.V_SSL3)));

    private static Predicate<Suite> has(A a) {
        return s -> s.is.contains(a);
    }

    /** The TLS 1.2 suites the list leaves, by JSSE's names, in its order; the words that named none of them. */
    public record Result(List<String> suites, List<String> unmatched) {
    }

    private OpensslCipherList() {
    }

    public static Result read(String list) {
        List<Suite> out = new ArrayList<>();
        Set<Suite> killed = new LinkedHashSet<>();
        List<String> unmatched = new ArrayList<>();
        for (String item : list.split("[:;\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            if (item.startsWith("@")) {
                if (item.equalsIgnoreCase("@STRENGTH")) {
                    out.sort(Comparator.comparingInt((Suite s) -> -s.bits)); // stable: ties keep their order
                }
                continue; // @SECLEVEL=n: every suite here passes level 2
            }
            char op = "!-+".indexOf(item.charAt(0)) >= 0 ? item.charAt(0) : ' ';
            String term = op == ' ' ? item : item.substring(1);
            List<Suite> matching = matching(term);
            if (matching.isEmpty()) {
                unmatched.add(item);
            }
            switch (op) {
                case '!' -> {
                    out.removeAll(matching);
                    killed.addAll(matching);
                }
                case '-' -> out.removeAll(matching);
                case '+' -> {
                    List<Suite> moved = out.stream().filter(matching::contains).toList();
                    out.removeAll(moved);
                    out.addAll(moved);
                }
                default -> matching.stream().filter(s -> !killed.contains(s) && !out.contains(s)).forEach(out::add);
            }
        }
        return new Result(out.stream().map(Suite::jsse).toList(), List.copyOf(unmatched));
    }

    /** The suites a term names: one suite by its OpenSSL name, else aliases joined by '+', in JSSE's order. */
    private static List<Suite> matching(String term) {
        for (Suite s : SUITES) {
            if (s.openssl.equalsIgnoreCase(term)) {
                return List.of(s);
            }
        }
        Predicate<Suite> all = s -> true;
        for (String part : term.split("\\+")) {
            Predicate<Suite> p = ALIASES.get(part.toUpperCase(Locale.ROOT));
            if (p == null) {
                return List.of();
            }
            all = all.and(p);
        }
        Predicate<Suite> chosen = all;
        return SUITES.stream().filter(chosen).toList();
    }

    /** Every suite this reads, by OpenSSL's name → JSSE's (for the test against openssl). */
    static Map<String, String> names() {
        return SUITES.stream().collect(Collectors.toMap(Suite::openssl, Suite::jsse, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    static Stream<String> jsseNames() {
        return SUITES.stream().map(Suite::jsse);
    }
}
