package org.sstorchestrator.engine;

/**
 * Told by the runner where a run is: the stage it enters, and its first failure before the
 * recovery stage runs (what to clean up can depend on why the run failed: a full disk, say).
 * This is how a recorder knows which stage a child process or a transfer belongs to.
 */
public interface StageListener {

    StageListener NONE = new StageListener() {
    };

    default void entering(String stage) {
    }

    default void failed(String stage, Failure failure) {
    }

    /** Both, in this order. */
    static StageListener both(StageListener a, StageListener b) {
        return new StageListener() {
            @Override
            public void entering(String stage) {
                a.entering(stage);
                b.entering(stage);
            }

            @Override
            public void failed(String stage, Failure failure) {
                a.failed(stage, failure);
                b.failed(stage, failure);
            }
        };
    }
}
