package org.sstorchestrator.harness;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sstorchestrator.persistence.RunDetail;

/**
 * One SST of ours from the benchmark's point of view (issue 11, item 2): t=0 is when the
 * benchmark starts the joiner's mariadbd; then what both our histories recorded, joiner and
 * donor interleaved by time; last, Synced as the benchmark saw it. Where the time goes before
 * the first byte moves is what this is for.
 */
final class StartupTimeline {

    /**
     * Run attributes named {@code *_ms} are moments our SST records in epoch ms (launched_ms,
     * main_ms, options_read_ms, history_opened_ms so far): each is shown if the run has it, so
     * marks added later show up too, and a history without them just has none.
     */
    private static final String MOMENT_SUFFIX = "_ms";
    /** Epoch ms from 2001 on: a smaller value is not a wall-clock time (a duration?) and is not placed. */
    private static final long EPOCH_MS_FLOOR = 1_000_000_000_000L;

    record Entry(long tMs, String node, String what) {
    }

    private final List<Entry> entries;

    private StartupTimeline(List<Entry> entries) {
        this.entries = entries;
    }

    static StartupTimeline of(long t0Ms, long syncedMs, RunDetail joiner, RunDetail donor) {
        List<Entry> e = new ArrayList<>();
        e.add(new Entry(0, "bench", "starts the joiner's mariadbd"));
        add(e, t0Ms, "joiner", joiner);
        add(e, t0Ms, "donor", donor);
        e.add(new Entry(syncedMs - t0Ms, "bench", "sees the joiner Synced"));
        // stable: at equal times the order recorded within a run stands
        e.sort(Comparator.comparingLong(Entry::tMs));
        return new StartupTimeline(List.copyOf(e));
    }

    private static void add(List<Entry> e, long t0Ms, String node, RunDetail run) {
        long started = run.summary().startedMs();
        e.add(new Entry(started - t0Ms, node, "run " + run.summary().id().substring(0, 8) + " started"));
        run.attributes().forEach((name, v) -> {
            long at = parseOr(v, -1);
            if (name.endsWith(MOMENT_SUFFIX) && at >= EPOCH_MS_FLOOR) {
                e.add(new Entry(at - t0Ms, node, name));
            }
        });
        for (RunDetail.Event ev : run.events()) {
            String outcome = ev.outcome() == null || ev.outcome().equals("ok") ? "" : " (" + ev.outcome() + ")";
            e.add(new Entry(ev.atMs() - t0Ms, node, ev.stage() + " " + ev.kind() + outcome));
        }
        for (RunDetail.Transfer t : run.transfers()) {
            e.add(new Entry(t.startedMs() - t0Ms, node, "transfer '" + t.what() + "' starts"));
            e.add(new Entry(t.endedMs() - t0Ms, node, String.format("transfer '%s' ends: %.1f MB%s", t.what(),
                    t.bytes() / Round.MB, t.cutShort() ? " (cut short)" : "")));
        }
        e.add(new Entry(OurHistory.endedMs(run) - t0Ms, node, "run ended: " + run.summary().outcome()));
    }

    private static long parseOr(String v, long otherwise) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    void print(PrintStream out) {
        for (Entry e : entries) {
            out.printf("  %+8d ms  %-6s  %s%n", e.tMs(), e.node(), e.what());
        }
    }

    List<Map<String, Object>> json() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t_ms", e.tMs());
            m.put("node", e.node());
            m.put("what", e.what());
            out.add(m);
        }
        return out;
    }
}
