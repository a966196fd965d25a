package org.sstorchestrator.states.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

class SstAddressTest {

    @Test
    void parsesTheJoinersReadyAddress() {
        SstAddress a = SstAddress.parse("--address", "127.0.0.1:4567/xtrabackup_sst//1");
        assertEquals("127.0.0.1", a.host());
        assertEquals(4567, a.port());
        assertEquals("xtrabackup_sst", a.module());
        assertNull(a.lsn());
        assertEquals("1", a.sstVersion());
        assertEquals("127.0.0.1:4567/xtrabackup_sst//1", a.readyForm());
    }

    @Test
    void defaultsThePortAndUnbracketsIpv6() {
        SstAddress a = SstAddress.parse("--address", "[::1]");
        assertEquals(4444, a.port());
        assertEquals("::1", a.socketHost());
        assertEquals("[::1]:4444/xtrabackup_sst//", a.readyForm());
        assertEquals("db-2.example.com", SstAddress.parse("--address", "db-2.example.com:4444").host());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:4444;rm -rf /", "$(reboot):4444", "`id`", "host:4444/../../etc",
            "host:4444/xtrabackup_sst/12a/1", "host:4444/m/1/1/extra", "host:99999", "host\n:4444", "a b:4444",
            "host:4444/xtrabackup_sst//1\necho", "-oProxyCommand=x", ""})
    void hostileOrMalformedAddressesAreRefusedWithExit22(String value) {
        SstException e = assertThrows(SstException.class, () -> SstAddress.parse("--address", value));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("--address"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "a newline from the peer cannot forge a log line");
    }

    @Test
    void remoteAuthIsCommonNameAndHexSecret() {
        RemoteAuth a = RemoteAuth.parse("joiner.example:0123abcd");
        assertEquals("joiner.example", a.commonName());
        assertEquals("0123abcd", a.secret().reveal());
        assertNull(RemoteAuth.parse(""));
        SstException e = assertThrows(SstException.class, () -> RemoteAuth.parse("cn:$(id)"));
        assertTrue(!e.getMessage().contains("$(id)"), "the value may hold a secret and is never echoed");
    }
}
