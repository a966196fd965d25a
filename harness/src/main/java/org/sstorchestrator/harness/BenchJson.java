package org.sstorchestrator.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's JSON: the profiles with their lines, every round (each names its profile),
 * the figures per profile and size, the fits per profile and method, the start-up timeline and
 * the checkpoint timing.
 */
final class BenchJson {

    private BenchJson() {
    }

    static Map<String, Object> of(BenchReport report) {
        BenchOptions options = report.options();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("written_at", java.time.Instant.now().toString());
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("sizes", options.sizes().stream().map(BenchOptions.Size::label).toList());
        root.put("rounds_per_size", options.rounds());
        root.put("methods", options.methods());
        List<Object> profiles = new ArrayList<>();
        for (BenchProfile.Setup p : report.profiles()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("about", p.profile().about());
            m.put("sst_lines", p.sstLines());
            profiles.add(m);
        }
        root.put("profiles", profiles);
        root.put("rounds", report.rounds().stream().map(BenchJson::round).toList());
        List<Object> cells = new ArrayList<>();
        for (BenchProfile.Setup p : report.profiles()) {
            for (BenchOptions.Size size : options.sizes()) {
                cells.add(cell(report.summary(p, size)));
            }
        }
        root.put("per_profile_size", cells);
        Map<String, Object> fits = new LinkedHashMap<>();
        for (BenchProfile.Setup p : report.profiles()) {
            Map<String, Object> perMethod = new LinkedHashMap<>();
            for (String method : options.methods()) {
                perMethod.put(method, report.fit(p, method).map(f -> {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("fixed_s", f.fixedSeconds());
                    x.put("s_per_gb", f.secondsPerGb());
                    x.put("mb_per_s", f.megabytesPerSecond());
                    return (Object) x;
                }).orElse(null));
            }
            fits.put(p.name(), perMethod);
        }
        root.put("fits", fits);
        root.put("startup_timeline", report.timeline() == null ? null : report.timeline().json());
        root.put("checkpoint_commit", report.checkpoints() == null ? null : report.checkpoints().json());
        return root;
    }

    private static Map<String, Object> round(Round r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", r.profile());
        m.put("method", r.method());
        m.put("size", r.size().label());
        m.put("table_bytes", r.tableBytes());
        m.put("round", r.round());
        m.put("seconds", r.seconds());
        m.put("checksum_ok", r.checksumOk());
        m.put("cpu_joiner_s", r.cpuJoinerSeconds());
        m.put("cpu_donor_s", r.cpuDonorSeconds());
        m.put("cpu_joiner_s_per_gb", r.cpuJoinerPerGb());
        m.put("cpu_donor_s_per_gb", r.cpuDonorPerGb());
        m.put("data_seconds", r.dataSeconds());
        m.put("stream_bytes", r.streamBytes());
        m.put("wire_bytes", r.wireBytes());
        m.put("rss_joiner_kb", r.rssJoinerKb());
        m.put("rss_donor_kb", r.rssDonorKb());
        m.put("wire_setup", r.wireSetup());
        return m;
    }

    private static Map<String, Object> cell(SizeSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", s.profile());
        m.put("size", s.size().label());
        m.put("table_bytes", s.tableBytes());
        Map<String, Object> methods = new LinkedHashMap<>();
        for (SizeSummary.Method f : s.methods()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("median_s", f.medianSeconds());
            x.put("min_s", f.minSeconds());
            x.put("max_s", f.maxSeconds());
            x.put("data_median_s", f.dataSeconds());
            x.put("data_mb_per_s", f.dataMbPerSecond());
            x.put("stream_mb_per_s", f.streamMbPerSecond());
            x.put("stream_median_mb", f.streamMb());
            x.put("wire_median_mb", f.wireMb());
            x.put("cpu_joiner_s_per_gb", f.cpuJoinerPerGb());
            x.put("cpu_donor_s_per_gb", f.cpuDonorPerGb());
            x.put("rss_joiner_peak_kb", f.rssJoinerKb());
            x.put("rss_donor_peak_kb", f.rssDonorKb());
            methods.put(f.method(), x);
        }
        m.put("methods", methods);
        m.put("ours_over_stock", s.oursOver(BenchOptions.STOCK).orElse(null));
        m.put("ours_over_nosleep", s.oursOver(BenchReport.NO_SLEEP).orElse(null));
        m.put("ours_over_base", s.oursOver(BenchOptions.BASE).orElse(null));
        m.put("ours_data_over_base", s.oursDataOver(BenchOptions.BASE).orElse(null));
        return m;
    }
}
