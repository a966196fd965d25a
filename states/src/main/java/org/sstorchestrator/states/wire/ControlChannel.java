package org.sstorchestrator.states.wire;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * stdout, the control channel mysqld reads. The only writer to it: one line per call, each
 * flushed at once; nothing else may go there (a stray donor line fails the SST).
 */
public final class ControlChannel {

    /** mysqld reads every line into a fixed buffer: 128 bytes with the newline... */
    private static final int MAX_LINE = 127;
    /**
     * ...except the joiner's {@code ready}, which it reads into 512 (wsrep_sst.cc); in a VERIFY
     * ssl-mode that line carries {@code <CN>:<secret>@} before the address and can pass 127.
     */
    private static final int MAX_READY_LINE = 511;

    private final PrintStream out;

    public ControlChannel(PrintStream out) {
        this.out = out;
    }

    public static ControlChannel stdout() {
        return new ControlChannel(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8));
    }

    public void ready(String address) {
        line("ready " + address, MAX_READY_LINE);
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

    private void line(String text) {
        line(text, MAX_LINE);
    }

    private synchronized void line(String text, int max) {
        if (text.getBytes(StandardCharsets.UTF_8).length > max || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("control line too long or multi-line: " + text.length() + " chars (at most " + max + " bytes)");
        }
        out.print(text + "\n");
        out.flush();
    }
}
