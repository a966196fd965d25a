package org.sstorchestrator.states.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.text.Secret;

class GaleraInfoTest {

    private static final String POS = "6aa82394-e53e-11f1-9d1a-a25450683f20:7 0";

    @Test
    void readsPositionSecretTotalAndOurRunTag() {
        GaleraInfo i = GaleraInfo.parse("t", (POS + "\nsecret abc123\ntotal 99\nsst_orchestrator_run "
                + "0f1e2d3c-0000-4000-8000-000000000000\nunknown tag\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(POS, i.position());
        assertEquals("abc123", i.secret().orElseThrow().reveal());
        assertEquals(99L, i.total().orElseThrow());
        assertEquals("0f1e2d3c-0000-4000-8000-000000000000", i.peerRun().orElseThrow());
    }

    /** The stock joiner takes the first {@code secret} line; a later one cannot replace it (issue 8). */
    @Test
    void theFirstSecretLineIsTheSecretAsForTheStockJoiner() {
        GaleraInfo i = GaleraInfo.parse("t", (POS + "\nsecret first\nsecret second\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("first", i.secret().orElseThrow().reveal());
    }

    @Test
    void rendersWhatItParses() {
        GaleraInfo i = new GaleraInfo(POS, Optional.of(Secret.of("ff")), Optional.empty(), Optional.empty());
        assertEquals(POS + "\nsecret ff\n", new String(i.render(), StandardCharsets.UTF_8));
    }

    @Test
    void aPositionLineThatIsNotUuidSeqnoDomainIsRefused() {
        for (String bad : new String[] {"", "garbage", "6aa82394-e53e-11f1-9d1a-a25450683f20:7 0; rm -rf /",
                "6aa82394-e53e-11f1-9d1a-a25450683f20 7"}) {
            assertThrows(SstException.class, () -> GaleraInfo.checkPosition("t", bad), bad);
        }
        assertEquals("6aa82394-e53e-11f1-9d1a-a25450683f20:-1", GaleraInfo.checkPosition("t",
                "6aa82394-e53e-11f1-9d1a-a25450683f20:-1"));
    }
}
