package org.sstorchestrator.states.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * WSREP_SST_OPT_REMOTE_AUTH, what a joiner in a VERIFY ssl-mode puts before '@' (issue 8):
 * every CN the stock donor takes and that can be told apart from a secret passes; nothing
 * that could forge a log line or reach a shell does.
 */
class RemoteAuthTest {

    @ParameterizedTest
    @ValueSource(strings = {"galera_node1", "joiner.example", "*.db.example", "node-2", "Galera Node", "nöde",
            "db1@example.com", "Acme,Inc", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "CN=x+O=y", "node(1)"})
    void theCommonNamesTheStockDonorTakesPass(String cn) {
        // "Galera Node": the stock donor's safe() refuses a space (exit 21); so do we (22, below)
        if (cn.contains(" ")) {
            assertThrows(SstException.class, () -> RemoteAuth.parse(cn + ":00ff"));
            return;
        }
        RemoteAuth a = RemoteAuth.parse(cn + ":0123456789abcdef0123456789abcdef");
        assertEquals(cn, a.commonName());
        assertEquals("0123456789abcdef0123456789abcdef", a.secret().reveal());
    }

    @Test
    void anEmptyCommonNameIsTheJoinerWithoutACertificate() {
        RemoteAuth a = RemoteAuth.parse(":0123456789abcdef0123456789abcdef");
        assertEquals("", a.commonName());
        assertEquals("0123456789abcdef0123456789abcdef", a.secret().reveal());
    }

    @Test
    void withoutAColonTheWholeValueIsBothNameAndSecretAsStock() {
        RemoteAuth a = RemoteAuth.parse("joiner.example");
        assertEquals("joiner.example", a.commonName());
        assertEquals("joiner.example", a.secret().reveal());
    }

    @Test
    void theSplitIsAtTheFirstColonAsStock() {
        // a CN cannot hold ':' (it would be cut there), so what follows must be a hex secret
        SstException e = assertThrows(SstException.class, () -> RemoteAuth.parse("a:b:00ff"));
        assertEquals(ExitCode.EINVAL, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cn:$(id)", "cn;reboot:00ff", "cn\n:00ff", "cn:00ff\nx", "`id`:00", "cn'x:00ff", "c$n:00ff",
            "cn\\x:00ff", "cn\"x:00ff", "cn\u0000:00ff", "cn\u202e:00ff", "cn:zz", "cn:00fg", "cn|x:00ff", "cn<x:00ff", "../../etc:00ff", "a/b:00ff"})
    void hostileValuesAreRefusedWith22AndNeverEchoed(String value) {
        SstException e = assertThrows(SstException.class, () -> RemoteAuth.parse(value));
        assertEquals(ExitCode.EINVAL, e.code());
        assertFalse(e.getMessage().contains(value), "it may hold a secret");
    }

    @Test
    void aCommonNameLongerThan64IsRefused() {
        assertThrows(SstException.class, () -> RemoteAuth.parse("x".repeat(65) + ":00ff"));
    }
}
