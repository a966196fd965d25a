package org.sstorchestrator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpringStatemachineDriverTest {

    private final TransitionTable table = TransitionTable.builder("t").state("a").state("b")
            .on("a", Stage.OK, "b").on("b", Stage.OK, "completed").build();

    @Test
    void firesDeclaredTransitionsAndRefusesOthers() {
        try (TransitionDriver d = SpringStatemachineDriver.FACTORY.create(table)) {
            d.start("a");
            assertEquals("b", d.fire(Stage.OK));
            assertThrows(IllegalStateException.class, () -> d.fire("nonsense"));
            assertEquals("b", d.current());
            assertEquals("abort", d.fire(TransitionTable.FAILED));
            assertEquals("failed", d.fire(Stage.OK));
        }
    }

    @Test
    void startsAnywhereForResume() {
        try (TransitionDriver d = SpringStatemachineDriver.FACTORY.create(table)) {
            d.start("b");
            assertEquals("completed", d.fire(Stage.OK));
        }
    }
}
