package org.sstorchestrator.states.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.args.RemoteAuth;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.TlsSettings;

/**
 * The name the donor checks in the joiner's certificate (the stock donor's commonname= rule,
 * docs/wire-protocol.md#tls) and how a name matches (socat's rules) (issue 8).
 */
class PeerNameTest {

    @TempDir
    Path dir;

    private static TlsSettings donor(String... sst) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : sst) {
            String[] p = s.split("=", 2);
            g.computeIfAbsent("sst", k -> new HashMap<>()).put(p[0], p[1]);
        }
        return TlsSettings.resolve(new OptionFiles(g), Role.DONOR);
    }

    private static final String[] FILES = {"ssl-cert=/c.pem", "ssl-key=/k.pem", "ssl-ca=/ca.pem"};

    private static TlsSettings with(String... more) {
        String[] all = java.util.Arrays.copyOf(FILES, FILES.length + more.length);
        System.arraycopy(more, 0, all, FILES.length, more.length);
        return donor(all);
    }

    @Test
    void theDonorChecksWhatTheStockDonorTellsSocatToCheck() {
        RemoteAuth cn = RemoteAuth.parse("joiner.example:00ff");
        RemoteAuth noCn = RemoteAuth.parse(":00ff");
        assertEquals(Optional.empty(), PeerName.expected(with("encrypt=4", "ssl-mode=VERIFY_CA"), cn, "10.0.0.5"),
                "VERIFY_CA: the chain only, even if the joiner sent a CN");
        assertEquals(Optional.of("joiner.example"), PeerName.expected(with("encrypt=4", "ssl-mode=VERIFY_IDENTITY"), cn,
                "10.0.0.5"));
        assertEquals(Optional.of("joiner.example"), PeerName.expected(with("encrypt=3"), cn, "10.0.0.5"),
                "a CN sent is checked whatever this donor's mode");
        assertEquals(Optional.empty(), PeerName.expected(with("encrypt=4"), noCn, "10.0.0.5"));
        assertEquals(Optional.of("localhost"), PeerName.expected(with("encrypt=3"), null, "127.0.0.1"));
        assertEquals(Optional.of("localhost"), PeerName.expected(with("encrypt=3"), null, "[::1]"));
        assertEquals(Optional.of("10.255.0.5"), PeerName.expected(with("encrypt=3"), null, "10.255.0.5"));
        assertEquals(Optional.of("db2.example"), PeerName.expected(with("encrypt=3"), null, "db2.example"));
        assertEquals(Optional.empty(), PeerName.expected(donor("encrypt=3", "ssl-cert=/c.pem", "ssl-key=/k.pem"), cn,
                "10.0.0.5"), "no CA: nothing is verified");
        assertEquals(Optional.empty(), PeerName.expected(donor("encrypt=2", "ssl-cert=/c.pem", "ssl-ca=/ca.pem"), cn,
                "10.0.0.5"), "encrypt=2: socat's commonname='' always");
    }

    @Test
    void aWildcardMatchesItsDomainAndOneLabelBelowAsSocatMatchesIt() {
        assertTrue(PeerName.matches("*.db.example", "node1.db.example"));
        assertTrue(PeerName.matches("*.db.example", "db.example"));
        assertFalse(PeerName.matches("*.db.example", "a.node1.db.example"));
        assertTrue(PeerName.matches("Node1.DB.example", "node1.db.example"));
        assertFalse(PeerName.matches("node1.db.example", "node2.db.example"));
    }

    @Test
    void subjectAltNamesThenTheFirstCommonNameAreChecked() {
        TestPki pki = new TestPki(dir);
        TestPki.Issued ca = pki.ca("Names CA");
        TestPki.Issued n = pki.node("cn.example", ca, "alt.example", "*.wild.example", "10.1.2.3");
        assertEquals(Optional.empty(), PeerName.mismatch(n.cert(), "alt.example"));
        assertEquals(Optional.empty(), PeerName.mismatch(n.cert(), "x.wild.example"));
        assertEquals(Optional.empty(), PeerName.mismatch(n.cert(), "10.1.2.3"));
        assertEquals(Optional.empty(), PeerName.mismatch(n.cert(), "cn.example"), "the CN after the SANs, as socat");
        String why = PeerName.mismatch(n.cert(), "other.example").orElseThrow();
        assertTrue(why.startsWith("certificate is valid but its commonName does not match hostname \"other.example\""),
                why);
        assertTrue(why.contains("cn.example") && why.contains("alt.example") && why.contains("10.1.2.3"), why);
        assertEquals(Optional.of("cn.example"), PeerName.commonName(n.cert()));
    }
}
