package org.sstorchestrator.wire;

import java.util.List;
import java.util.Locale;

/**
 * How a full disk shows (errno 28, ENOSPC): in the JDK's exceptions and in the words programs
 * write to their logs (mariadb-backup, mbstream). The one rule every layer and its user apply.
 */
public final class NoSpace {

    private static final List<String> WORDS = List.of("no space left on device", "errcode: 28", "errno: 28",
            "errno 28", "error number 28", "(errno: 28", "disk full");

    private NoSpace() {
    }

    /** Whether {@code e} or a cause of it says the disk is full. */
    public static boolean in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && in(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code text} (a message, a log's tail) says the disk is full. */
    public static boolean in(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return WORDS.stream().anyMatch(lower::contains);
    }
}
