package org.sstorchestrator.harness;

import java.io.IOException;
import java.util.Optional;

/**
 * What the stock donor piped its backup through, as it logged it: its "Evaluating
 * mariadb-backup ... | <compressor> | <pv> | socat ..." line, from the first pipe on (the
 * backup tool's own arguments stay out; its password is not among them, it travels in
 * MYSQL_PWD). It shows that a profile reached the stock script too, since the donor is never
 * restarted between profiles and its script reads my.cnf afresh at each SST.
 */
final class StockPipeline {

    private StockPipeline() {
    }

    /** Empty if the donor logged no such line for this joiner. */
    static Optional<String> of(GaleraNode donor, GaleraNode joiner) throws IOException {
        String port = ":" + joiner.ports().sst();
        // the GTID file's transfer logs a line to the same port earlier: the last one is the backup's
        return StockDataStage.lastLine(donor.errorLog(), "Evaluating ", port + ",", port + " ", port + ";")
                .filter(l -> l.contains(" | ") && l.contains("; RC=("))
                .map(l -> l.substring(l.indexOf(" | ") + 3, l.indexOf("; RC=(")));
    }
}
