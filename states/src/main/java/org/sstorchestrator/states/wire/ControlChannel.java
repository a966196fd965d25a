package org.sstorchestrator.states.wire;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * stdout, the control channel mysqld reads. The only writer to it: one line per call, each
 * flushed at once; nothing else may go there (a stray donor line fails the SST).
 */
public final class ControlChannel {

    /** mysqld reads donor lines into a fixed buffer. */
    private static final int MAX_LINE = 127;

    private final PrintStream out;

    public ControlChannel(PrintStream out) {
        this.out = out;
    }

    public static ControlChannel stdout() {
        return new ControlChannel(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8));
    }

    public void ready(String address) {
        line("ready " + address);
    }

    public void position(String position) {
        line(position);
    }

    public void done(String gtid) {
        line("done " + gtid);
    }

    /** Donor in IST bypass: the server may resume commits. */
    public void resume() {
        line("continue");
    }

    public void total(long bytes) {
        line("total " + bytes);
    }

    public void complete(long bytes) {
        line("complete " + bytes);
    }

    private synchronized void line(String text) {
        if (text.length() > MAX_LINE || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("control line too long or multi-line: " + text.length() + " chars");
        }
        out.print(text + "\n");
        out.flush();
    }
}
