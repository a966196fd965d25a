package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.text.Secret;
import org.sstorchestrator.states.wire.GaleraInfo;

/** The joiner's end of the VERIFY handshake: the donor must send back the secret our address carried (issue 8). */
class VerifySecretTest {

    private static final String POS = "6aa82394-e53e-11f1-9d1a-a25450683f20:7 0";
    private static final String MINE = "00112233445566778899aabbccddeeff";

    private static Listening listening(String secret) {
        return new Listening(null, Optional.ofNullable(secret).map(Secret::of));
    }

    private static GaleraInfo info(String secret) {
        return new GaleraInfo(POS, Optional.ofNullable(secret).map(Secret::of), Optional.empty(), Optional.empty());
    }

    @Test
    void theSecretBackIsAccepted() {
        ReceiveMagic.checkSecret(listening(MINE), info(MINE));
        ReceiveMagic.checkSecret(listening(null), info(null)); // no VERIFY mode: nothing to check
        ReceiveMagic.checkSecret(listening(null), info("whatever"));
    }

    @Test
    void anotherOrNoSecretIsTheStockRefusalWith32AndNeitherSecretIsShown() {
        for (String theirs : new String[] {"ffeeddccbbaa99887766554433221100", null, ""}) {
            SstException e = assertThrows(SstException.class, () -> ReceiveMagic.checkSecret(listening(MINE), info(theirs)));
            assertEquals(ExitCode.EPIPE, e.code());
            assertTrue(e.getMessage().startsWith("Donor does not know my secret!"), e.getMessage());
            assertFalse(e.getMessage().contains(MINE) || theirs != null && !theirs.isEmpty() && e.getMessage().contains(theirs),
                    "the stock script logs both secrets; we log neither: " + e.getMessage());
        }
    }
}
