package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;

/**
 * Promises P2 and P3 when the network fails mid-stream, end to end: the donor reaches our
 * joiner through a relay that cuts the backup stream after 8 MB, either silently (a half-open
 * connection: no FIN, no RST, the bytes just stop) or by closing it. Neither side may wait
 * forever: both end with 32 within their idle timeout, recorded failed in the stream stage,
 * and the joiner prints no position.
 */
class NetworkCutIT {

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("network", 20);

    @ParameterizedTest(name = "stream cut by {0}")
    @EnumSource(CuttingProxy.Cut.class)
    void aStreamCutMidwayEndsBothSidesWithExit32WithinTheirIdleTimeout(CuttingProxy.Cut how, @TempDir Path tmp)
            throws Exception {
        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, Map.of());
        String ready = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        int joinerPort = Integer.parseInt(ready.substring(ready.indexOf(':') + 1, ready.indexOf('/')));
        DirectSst.Side d;
        try (CuttingProxy proxy = new CuttingProxy(joinerPort, 8L << 20, how)) {
            String viaProxy = "127.0.0.1:" + proxy.port() + ready.substring(ready.indexOf('/'));
            d = DirectSst.donor(tmp, DONOR.node(), viaProxy, DirectSst.SHORT_TIMEOUTS, Map.of());

            assertEquals(32, j.exit(DirectSst.BOUND), j.err());
            assertEquals(32, d.exit(DirectSst.BOUND), d.err());
        }
        assertTrue(j.lines().stream().allMatch(l -> l.startsWith("ready ")), "no position (P1): " + j.lines());
        assertFailedAt(j.history(), "receive_stream");
        assertFailedAt(d.history(), "stream_backup");
        TransitionLedger.record(getClass(), tmp);
    }

    private static void assertFailedAt(Path history, String stage) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(history)) {
            RunSummary r = new HistoryQueries(db).history(null, 1).get(0);
            assertEquals("failed", r.outcome());
            assertEquals(stage, r.lastStage());
            assertEquals(32, r.exitCode());
        }
    }
}
