package org.sstorchestrator.engine;

/**
 * One step of a run. A stage performs its side effects and returns the outcome that names
 * the transition to take ({@link #OK} unless the table declares a branch). Throwing means the
 * stage failed: the runner records a failed event and follows the table's failure edge.
 *
 * <p>A run may be resumed at the first stage that did not complete, so a stage either is safe
 * to run again after a crash part-way through it, or says otherwise in {@link #idempotent()}.
 */
public interface Stage<C> {

    String OK = "ok";

    String run(C context) throws Exception;

    default boolean idempotent() {
        return true;
    }
}
