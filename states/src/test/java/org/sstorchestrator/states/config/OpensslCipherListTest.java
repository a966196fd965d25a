package org.sstorchestrator.states.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 19: socat's cipher= read as OpenSSL reads it, checked against the installed openssl itself. */
class OpensslCipherListTest {

    /** What openssl makes of {@code list}, restricted to the suites JSSE has (its standard names). */
    private static Set<String> openssl(String list) throws Exception {
        Process p = new ProcessBuilder("openssl", "ciphers", "-stdname", list).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        Set<String> ours = OpensslCipherList.jsseNames().collect(Collectors.toSet());
        return out.lines().map(l -> l.split(" ")[0]).filter(ours::contains).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean haveOpenssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ALL", "DEFAULT", "HIGH", "HIGH:!aNULL:!MD5", "ECDHE+AESGCM", "ECDHE-RSA-AES128-GCM-SHA256",
        "AES128-SHA:AES256-SHA", "kEECDH+AESGCM:!aECDSA", "RC4:-ALL:AES128-GCM-SHA256", "ALL:!RSA", "AESGCM:-DHE",
        "TLSv1.2:!SHA256:!SHA384", "SSLv3", "TLSv1.0", "SHA1", "SHA", "CHACHA20", "EDH+aRSA", "ECDH", "DH", "AES256:@STRENGTH",
        "DSS", "ALL:+kRSA", "FOO:AES128-SHA", "RC4:AES128-SHA", "aRSA:!kRSA", "AES:!AES128", "SHA256+AES128",
        "ALL:!ECDHE:ECDHE-RSA-AES256-SHA", "ALL:-ECDHE:ECDHE-RSA-AES256-SHA", "!aRSA:ALL", "kDHE+SHA384",
        "COMPLEMENTOFDEFAULT", "DEFAULT:!kRSA"})
    void aCipherListLeavesTheSuitesOpensslLeaves(String list) throws Exception {
        Assumptions.assumeTrue(haveOpenssl(), "no openssl here");
        assertEquals(openssl(list), new TreeSet<>(OpensslCipherList.read(list).suites()), list);
    }

    @Test
    void explicitSuitesKeepTheirOrderAndWordsThatNameNothingAreReported() {
        OpensslCipherList.Result r = OpensslCipherList.read("ECDHE-RSA-AES256-GCM-SHA384:FOO:ECDHE-RSA-AES128-GCM-SHA256;"
                + "CAMELLIA128-SHA");
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), r.suites());
        assertEquals(List.of("FOO", "CAMELLIA128-SHA"), r.unmatched());
        assertEquals(List.of(), OpensslCipherList.read("TLS_AES_128_GCM_SHA256").suites(),
                "a TLS 1.3 name is not a cipher list's (OpenSSL: no cipher match)");
    }

    @Test
    void everyOpensslNameIsTheOneOpensslGivesTheJsseSuiteAndJsseHasEverySuite() throws Exception {
        Assumptions.assumeTrue(haveOpenssl(), "no openssl here");
        Process p = new ProcessBuilder("openssl", "ciphers", "-stdname", "ALL").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        for (var e : OpensslCipherList.names().entrySet()) {
            assertTrue(out.lines().map(l -> l.split("\\s+")).anyMatch(w -> w.length > 2 && w[0].equals(e.getValue())
                    && w[2].equals(e.getKey())), e.toString());
        }
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, null, null);
        Set<String> supported = Set.copyOf(Arrays.asList(c.getSupportedSSLParameters().getCipherSuites()));
        OpensslCipherList.jsseNames().forEach(n -> assertTrue(supported.contains(n), n));
        OpensslCipherList.TLS13.forEach(n -> assertTrue(supported.contains(n), n));
    }
}
