package org.sstorchestrator.engine;

/**
 * One step of a run. A stage performs its side effects and returns the outcome that names
 * the transition to take ({@link #OK} unless the machine declares a branch). Throwing means
 * the stage failed: the runner records a failed event and follows the table's failure edge.
 * Whether a resumed run may enter it again is declared with the stage ({@link Reentry}).
 */
@FunctionalInterface
public interface Stage<C> {

    String OK = "ok";

    String run(C context) throws Exception;
}
