package org.sstorchestrator.states;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.engine.Machine;
import org.sstorchestrator.states.machine.SstMachines;
import org.sstorchestrator.states.run.SstContext;

/**
 * A stage is added by its declaration in SstMachines, its class and its unit test: the
 * third is checked here, so a stage cannot arrive with only the slow real-cluster suite.
 */
class EveryStageHasATestTest {

    @Test
    void everyStageOfBothMachinesHasAUnitTestNamedAfterItsClass() {
        TreeSet<String> missing = new TreeSet<>();
        for (Machine<SstContext> m : List.of(SstMachines.joiner(), SstMachines.donor())) {
            for (var stage : m.stages().values()) {
                String test = stage.getClass().getName() + "Test";
                try {
                    Class.forName(test);
                } catch (ClassNotFoundException e) {
                    missing.add(test);
                }
            }
        }
        assertEquals(new TreeSet<>(), missing, "stages without a unit test");
    }
}
