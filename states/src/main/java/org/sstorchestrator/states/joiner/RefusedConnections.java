package org.sstorchestrator.states.joiner;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.RunRecorder;

/**
 * Strangers refused at the joiner's port while it waits for the donor's backup: the first
 * {@value #EACH} are logged and recorded one by one (who knocked is worth knowing), the rest
 * only counted, and the count is logged and recorded once when the wait ends. Anyone who can
 * reach the port can connect as fast as we accept: every refusal made a log line and a row in
 * the history, without limit (issue 18).
 */
final class RefusedConnections implements Consumer<String>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedConnections.class);
    static final int EACH = 10;
    private final RunRecorder recorder;
    private final String donor;
    private long count;

    RefusedConnections(RunRecorder recorder, String donor) {
        this.recorder = recorder;
        this.donor = donor;
    }

    @Override
    public void accept(String from) {
        if (++count > EACH) {
            return;
        }
        LOG.warn("Refused a connection from {}: the backup comes only from the donor that sent the position ({}){}", from,
                donor, count == EACH ? "; further refusals are counted, not logged one by one" : "");
        recorder.note("refused_connection", from + " (transfer 2 comes only from " + donor + ")");
    }

    /** The count of those not logged one by one, once the wait is over. */
    @Override
    public void close() {
        if (count > EACH) {
            LOG.warn("Refused {} connections in all while waiting for the donor's backup ({} logged one by one)", count, EACH);
            recorder.note("refused_connections", count + " in all; the first " + EACH + " are recorded one by one");
        }
    }
}
