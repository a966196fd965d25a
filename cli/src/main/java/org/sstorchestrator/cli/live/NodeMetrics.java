package org.sstorchestrator.cli.live;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.persistence.RunFilter;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.Role;

/**
 * This node's SST metrics (issue 22), for node_exporter's textfile collector: everything is
 * read from the history, so whoever writes the file (the running SST at each stage change,
 * during its stream and at its end; sst-admin cleanup after it) writes the same truth, and the
 * counters, rebuilt from an append-only record, survive restarts and never go down. Written in
 * Prometheus' text format by Prometheus' own library; base units, no run ids in labels (each
 * would be a new series).
 */
public final class NodeMetrics {

    /** The file node_exporter reads, in {@code [sst] metrics-dir}. */
    public static final String FILE = "galera_sst.prom";
    /** Every outcome a finished run can have; a running run is counted once it has one. */
    private static final List<String> OUTCOMES = List.of("completed", "failed", "interrupted");

    private NodeMetrics() {
    }

    /** Writes {@code dir/galera_sst.prom} atomically and durably (temporary file, fsync, rename). */
    public static void write(HistoryQueries q, Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        PrometheusTextFormatWriter.create().write(out, snapshot(q));
        AtomicFile.write(dir.resolve(FILE), out.toByteArray(), true);
    }

    static MetricSnapshots snapshot(HistoryQueries q) {
        Families f = new Families();
        HistoryQueries.Totals totals = q.totals();
        for (Role r : Role.values()) {
            String role = r.label();
            Labels byRole = Labels.of("role", role);
            List<RunSummary> newest = q.history(new RunFilter(role, null, null, 3));
            Optional<RunSummary> running = newest.stream().filter(s -> s.outcome().equals("running")).findFirst();
            f.gauge("galera_sst_in_progress", "Whether an SST of this role is running on this node (1) or not (0).",
                    null, byRole, running.isPresent() ? 1 : 0);
            running.ifPresent(s -> current(f, q, s, byRole));
            newest.stream().filter(s -> !s.outcome().equals("running")).findFirst().ifPresent(s -> last(f, q, s, byRole));
            for (String outcome : OUTCOMES) {
                f.counter("galera_sst_runs", "SST runs of this role that ended, by outcome (interrupted: the process"
                        + " died without ending its run).", null, byRole.add("outcome", outcome), totals.runs(role, outcome));
            }
            f.counter("galera_sst_transferred_bytes", "Bytes received (joiner) or sent (donor) on the wire by every"
                    + " transfer of this role, including those cut short.", Unit.BYTES, byRole, totals.bytes(role));
        }
        boolean unsafe = q.history(new RunFilter(Role.JOINER.label(), null, null, 1)).stream()
                .anyMatch(s -> !s.outcome().equals("completed"));
        f.gauge("galera_sst_bootstrap_unsafe", "1 when this node's last joiner run did not complete: its data may be"
                + " partial, never bootstrap a cluster from it (sst-admin doctor --bootstrap-check).", null, Labels.EMPTY,
                unsafe ? 1 : 0);
        return f.build();
    }

    /** The running run of a role: its stage, start, and its stream's bytes so far and expected. */
    private static void current(Families f, HistoryQueries q, RunSummary s, Labels byRole) {
        List<String> events = q.stageEvents(s.id());
        String stage = events.isEmpty() ? "setup" : events.get(events.size() - 1).split(":")[0];
        f.info("galera_sst_stage", "The stage the running SST of this role is in.", byRole.add("stage", stage));
        f.gauge("galera_sst_start_timestamp_seconds", "When the running SST of this role started.", Unit.SECONDS, byRole,
                s.startedMs() / 1000.0);
        Optional<HistoryQueries.Progress> p = q.progress(s.id());
        f.gauge("galera_sst_stream_bytes", "Bytes the running SST of this role has streamed so far (its latest"
                + " stream).", Unit.BYTES, byRole, p.map(HistoryQueries.Progress::bytes).orElse(0L));
        p.map(HistoryQueries.Progress::total).ifPresent(t -> f.gauge("galera_sst_stream_expected_bytes",
                "Bytes the running SST of this role expects its stream to carry (the donor's estimate).", Unit.BYTES,
                byRole, t));
    }

    /** The newest finished run of a role: outcome, times, exit code and how long each stage took. */
    private static void last(Families f, HistoryQueries q, RunSummary s, Labels byRole) {
        f.info("galera_sst_last_run", "The newest finished SST of this role: its outcome and the stage it ended at.",
                byRole.add("outcome", s.outcome()).add("stage", String.valueOf(s.lastStage())));
        f.gauge("galera_sst_last_start_timestamp_seconds", "When the newest finished SST of this role started.",
                Unit.SECONDS, byRole, s.startedMs() / 1000.0);
        if (s.durationMs() != null) {
            f.gauge("galera_sst_last_end_timestamp_seconds", "When the newest finished SST of this role ended (an"
                    + " interrupted one: its last recorded step).", Unit.SECONDS, byRole,
                    (s.startedMs() + s.durationMs()) / 1000.0);
            f.gauge("galera_sst_last_duration_seconds", "How long the newest finished SST of this role took.",
                    Unit.SECONDS, byRole, s.durationMs() / 1000.0);
        }
        if (s.exitCode() != null) {
            f.gauge("galera_sst_last_exit_code", "The exit code of the newest finished SST of this role (docs/"
                    + "exit-codes.md); none when it was interrupted.", null, byRole, s.exitCode());
        }
        stageDurations(q.detail(s.id()).events()).forEach((stage, ms) -> f.gauge("galera_sst_last_stage_duration_seconds",
                "How long each stage of the newest finished SST of this role took.", Unit.SECONDS,
                byRole.add("stage", stage), ms / 1000.0));
    }

    /** Each stage's time from its start to its end, in the order first run; a stage run again counts its last run. */
    static Map<String, Long> stageDurations(List<RunDetail.Event> events) {
        Map<String, Long> started = new LinkedHashMap<>();
        Map<String, Long> out = new LinkedHashMap<>();
        for (RunDetail.Event e : events) {
            if (e.kind().equals("started")) {
                started.put(e.stage(), e.atMs());
            } else if (started.containsKey(e.stage())) {
                out.put(e.stage(), e.atMs() - started.get(e.stage()));
            }
        }
        return out;
    }

    /** The families in the making: each name once, with all its data points. */
    private static final class Families {
        private final Map<String, MetricSnapshot.Builder<?>> builders = new LinkedHashMap<>();

        void gauge(String name, String help, Unit unit, Labels labels, double value) {
            GaugeSnapshot.Builder b = (GaugeSnapshot.Builder) builders.computeIfAbsent(name,
                    n -> withUnit(GaugeSnapshot.builder().name(n).help(help), unit));
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void counter(String name, String help, Unit unit, Labels labels, double value) {
            CounterSnapshot.Builder b = (CounterSnapshot.Builder) builders.computeIfAbsent(name,
                    n -> withUnit(CounterSnapshot.builder().name(n).help(help), unit));
            b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void info(String name, String help, Labels labels) {
            InfoSnapshot.Builder b = (InfoSnapshot.Builder) builders.computeIfAbsent(name,
                    n -> InfoSnapshot.builder().name(n).help(help));
            b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels).build());
        }

        private static <B extends MetricSnapshot.Builder<B>> B withUnit(B b, Unit unit) {
            return unit == null ? b : b.unit(unit);
        }

        MetricSnapshots build() {
            List<MetricSnapshot> all = new ArrayList<>();
            builders.values().forEach(b -> all.add(b.build()));
            return new MetricSnapshots(all);
        }
    }
}
