package org.sstorchestrator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransitionTableTest {

    private static TransitionTable.Builder abc() {
        return TransitionTable.builder("t").state("a").state("b").state("c")
                .on("a", Stage.OK, "b").on("a", "skip", "c").on("b", Stage.OK, "c").on("c", Stage.OK, "completed");
    }

    @Test
    void aPathFollowsOkEdgesUnlessAnotherOutcomeIsNamedForAState() {
        TransitionTable t = abc().build();
        assertEquals(java.util.List.of("a", "b", "c"), t.path(java.util.Map.of()));
        assertEquals(java.util.List.of("a", "c"), t.path(java.util.Map.of("a", "skip")));
        assertThrows(IllegalArgumentException.class, () -> t.path(java.util.Map.of("b", "skip")));
    }

    @Test
    void everyWorkingStateFailsIntoTheRecoveryStateWhichEndsFailed() {
        TransitionTable t = abc().build();
        for (String s : new String[] {"a", "b", "c"}) {
            assertEquals("abort", t.next(s, TransitionTable.FAILED).orElseThrow());
        }
        assertEquals("failed", t.next("abort", Stage.OK).orElseThrow());
        assertEquals("failed", t.next("abort", TransitionTable.FAILED).orElseThrow());
        assertTrue(t.next("completed", Stage.OK).isEmpty());
    }

    @Test
    void refusesATransitionToAnUndeclaredState() {
        assertThrows(IllegalArgumentException.class, () -> abc().on("b", "x", "nowhere").build());
    }

    @Test
    void refusesTwoTransitionsOnTheSameOutcome() {
        assertThrows(IllegalArgumentException.class, () -> abc().on("a", Stage.OK, "c").build());
    }

    @Test
    void refusesAStateWithNoWayForward() {
        assertThrows(IllegalArgumentException.class, () ->
                TransitionTable.builder("t").state("a").state("dead").on("a", Stage.OK, "completed").build());
    }

    @Test
    void failureEdgesAreImplicitAndCannotBeDeclared() {
        assertThrows(IllegalArgumentException.class, () -> abc().on("a", TransitionTable.FAILED, "c"));
    }

    @Test
    void mermaidDiagramListsEveryDeclaredEdge() {
        String m = abc().build().toMermaid();
        assertTrue(m.contains("a --> c : skip"), m);
        assertTrue(m.contains("abort --> failed : failed"), m);
        assertTrue(m.startsWith("stateDiagram-v2\n    [*] --> a\n"), m);
    }
}
