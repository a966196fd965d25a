package org.sstorchestrator.engine;

/**
 * Whether a run that resumes after its process died (a new process, without the peer) may
 * enter a stage. The resume rule is derived from these, not written down a second time.
 */
public enum Reentry {
    /** Needs what only the original process had (the peer, its sockets, the stream): never entered by a resumed run. */
    LIVE_ONLY,
    /** Safe to run again from what is on disk, whether it ran part-way before or not at all. */
    REPEATABLE,
    /** May be entered afresh by a resumed run, but not again once it began: it consumes its input (move-back). */
    ONCE
}
