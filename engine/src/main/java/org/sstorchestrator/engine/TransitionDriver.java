package org.sstorchestrator.engine;

/**
 * Fires transitions of a {@link TransitionTable}. This is the seam behind which Spring
 * Statemachine lives (upstream is archived), so it can be replaced without touching a stage.
 */
public interface TransitionDriver extends AutoCloseable {

    /** Starts at {@code state} (the table's initial state, or where a resumed run continues). */
    void start(String state);

    /**
     * Fires {@code event} from the current state and returns the new state.
     *
     * @throws IllegalStateException when the table declares no such transition
     */
    String fire(String event);

    String current();

    @Override
    void close();

    /** Makes a driver for one run of a table. */
    interface Factory {
        TransitionDriver create(TransitionTable table);
    }
}
