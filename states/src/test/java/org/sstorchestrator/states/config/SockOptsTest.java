package org.sstorchestrator.states.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.wire.tcp.SocketOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;

/** Issue 10: sockopt in socat's syntax, typed; nothing socat would refuse is silently accepted, nothing ignored. */
class SockOptsTest {

    private static SockOpts parse(String v) {
        return SockOpts.parse("[sst] sockopt", v);
    }

    @Test
    void keepaliveAndAnAddressFamilyAsTheIssueAsks() {
        SockOpts o = parse("keepalive,pf=ip4");
        assertEquals(Optional.of(true), o.socket().keepAlive());
        assertEquals(Optional.of(SocketOptions.Family.IPV4), o.socket().family());
        assertTrue(o.tls().isEmpty());
    }

    @Test
    void socatsNamesAndAliasesAndItsNumericBooleans() {
        SockOpts o = parse(",so-keepalive=0, tcp-nodelay, keepidle=30,keepintvl=5,tcp-keepcnt=3,rcvbuf=262144,"
                + "so-sndbuf=131072,reuseaddr,reuseport=1,linger=2,connect-timeout=1.5,backlog=8,tos=16,"
                + "bind=127.0.0.1,protocol-family=inet6,");
        assertEquals(Optional.of(false), o.socket().keepAlive());
        assertEquals(Optional.of(true), o.socket().noDelay());
        assertEquals(30, o.socket().keepIdle().getAsInt());
        assertEquals(5, o.socket().keepInterval().getAsInt());
        assertEquals(3, o.socket().keepCount().getAsInt());
        assertEquals(262144, o.socket().receiveBuffer().getAsInt());
        assertEquals(131072, o.socket().sendBuffer().getAsInt());
        assertEquals(Optional.of(true), o.socket().reuseAddress());
        assertEquals(Optional.of(true), o.socket().reusePort());
        assertEquals(2, o.socket().lingerSeconds().getAsInt());
        assertEquals(Optional.of(Duration.ofMillis(1500)), o.socket().connectTimeout());
        assertEquals(8, o.socket().backlog().getAsInt());
        assertEquals(16, o.socket().typeOfService().getAsInt());
        assertEquals(Optional.of("127.0.0.1"), o.socket().bind());
        assertEquals(Optional.of(SocketOptions.Family.IPV6), o.socket().family());
        assertEquals(Optional.of(true), parse("nodelay=2").socket().noDelay(), "socat: any non-zero number is on");
    }

    @Test
    void theTlsOptionsAreRecordedForTheTlsTransportUnderSocatsCanonicalNames() {
        SockOpts o = parse("cipher=HIGH:!aNULL,commonname='',verify=0,no-sni,snihost=db1,min-version=TLS1.2,"
                + "max-version=TLS1.3,dh=/etc/dh.pem,cafile=/ca.pem,capath=/ca,cert=/c.pem,key=/k.pem,compress=none");
        assertEquals(Optional.of("HIGH:!aNULL"), o.tls().cipher());
        assertEquals(Optional.of(""), o.tls().commonName(), "an empty commonname: verify the chain only, as socat");
        assertEquals(Optional.of(false), o.tls().verify());
        assertEquals(Optional.of(true), o.tls().noSni());
        assertEquals(Optional.of("db1"), o.tls().sniHost());
        assertEquals(Optional.of("TLS1.2"), o.tls().minProtocol());
        assertEquals(Optional.of("TLS1.3"), o.tls().maxProtocol());
        assertEquals(Optional.of("/etc/dh.pem"), o.tls().get("openssl-dhparam"));
        assertEquals(Optional.of("/c.pem"), o.tls().get("openssl-certificate"));
        assertEquals(13, o.tls().options().size());
    }

    @Test
    void withoutTlsTheTlsOptionsAreRefusedAsSocatRefusesThemOnAPlainTcpAddress() {
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(new OptionFiles(Map.of("sst",
                Map.of("sockopt", "keepalive,cipher=HIGH"))), Role.DONOR));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("'openssl-cipherlist' is a TLS option"), e.getMessage());
    }

    @Test
    void withTlsTheTlsOptionsAreAppliedNotRefused() {
        SstConfig c = SstConfig.from(new OptionFiles(Map.of("sst", Map.of("sockopt", "verify=0", "encrypt", "3", "ssl-cert",
                "/etc/mysql/c.pem", "ssl-key", "/etc/mysql/k.pem"))), Role.DONOR);
        assertEquals(Optional.of(false), c.tls().options().verify(), "SocatTls applies them (issue 19)");
    }

    @ParameterizedTest(name = "sockopt={0} is refused naming {1}")
    @CsvSource(delimiter = '|', value = {
        "keepalive,frobnicate=3|'frobnicate' (value '3')",
        "mss=1400|'mss' (value '1400')",
        "min-proto-version=TLS1.2|'min-proto-version'", // not a socat alias either: socat says "unknown option"
        "keepalive=yes|'keepalive=yes' needs a number",
        "keepidle=-1|must not be negative",
        "pf=ip7|'pf' is ip4 or ip6, got 'ip7'",
        "connect-timeout=soon|'connect-timeout' needs seconds",
        "bind|'bind' needs a value",
    })
    void anythingSocatWouldNotTakeIsRefusedNamingTheOptionAndTheValue(String value, String named) {
        SstException e = assertThrows(SstException.class, () -> parse(value));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().startsWith("[sst] sockopt = '" + value + "' is invalid") && e.getMessage().contains(named),
                e.getMessage());
    }

    @Test
    void blanksAndCommasAtBothEndsAreTrimmedAsTheStockScriptTrimsThem() {
        assertEquals("keepalive,nodelay", parse(" ,keepalive,nodelay,, ").source());
        assertTrue(parse(" , ").isEmpty());
        assertTrue(SstConfig.from(new OptionFiles(new HashMap<>())).stream().sockOpts().isEmpty());
    }
}
