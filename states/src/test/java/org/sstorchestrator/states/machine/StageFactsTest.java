package org.sstorchestrator.states.machine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: what sst-admin reads from a recorded run's stages comes from the declared machines
 * (which stage gives {@code WipeBegan}, which may be entered again), not from stage names
 * written in the admin commands.
 */
class StageFactsTest {

    private static final List<String> THROUGH_STREAM = List.of("preflight", "listen", "receive_magic", "check_versions",
            "plan_space", "receive_stream");

    @Test
    void theWipeBeganOnceAStageDeclaredToGiveItHadBegun() {
        assertFalse(SstMachines.wipeBegan(THROUGH_STREAM));
        assertFalse(SstMachines.wipeBegan(List.of("receive_stream", "decompress", "prepare", "abort")));
        assertTrue(SstMachines.wipeBegan(List.of("plan_space", "wipe_early")), "the stock order's early wipe");
        assertTrue(SstMachines.wipeBegan(List.of("prepare", "wipe_datadir")));
        assertFalse(SstMachines.wipeBegan(List.of("no_such_stage")), "a stage an older version recorded is no wipe");
    }

    @Test
    void theNewDataIsInPlaceOnceTheStageThatRunsOnlyOnceCompleted() {
        assertFalse(SstMachines.dataInPlace(List.of("receive_stream", "prepare", "wipe_datadir", "drop_binlogs")));
        assertTrue(SstMachines.dataInPlace(List.of("wipe_datadir", "drop_binlogs", "move_back")));
    }

    @Test
    void aJoinerIsResumableFromHereOnceItsStreamIsWholeAndUntilMoveBackBegins() {
        assertTrue(SstMachines.resumable("joiner", THROUGH_STREAM, THROUGH_STREAM));
        List<String> prepared = concat(THROUGH_STREAM, List.of("decompress", "prepare", "wipe_datadir", "drop_binlogs"));
        assertTrue(SstMachines.resumable("joiner", prepared, prepared));
        assertFalse(SstMachines.resumable("joiner", prepared, concat(prepared, List.of("move_back"))),
                "move_back runs once");
        List<String> beforeStream = THROUGH_STREAM.subList(0, 5);
        assertFalse(SstMachines.resumable("joiner", beforeStream, THROUGH_STREAM),
                "receive_stream needs the donor's live connection");
    }

    @Test
    void aDonorIsNeverResumableNorARoleNobodyDeclared() {
        List<String> some = List.of("preflight", "send_magic");
        assertFalse(SstMachines.resumable("donor", some, List.of("preflight", "send_magic", "stream_backup")));
        assertFalse(SstMachines.resumable("arbitrator", THROUGH_STREAM, THROUGH_STREAM));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
