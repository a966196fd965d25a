package org.sstorchestrator.persistence;

/** The history database cannot be opened, migrated or written. */
public final class HistoryException extends RuntimeException {

    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }

    public HistoryException(String message) {
        super(message);
    }
}
