package org.sstorchestrator.cli.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.sstorchestrator.persistence.ClusterRow;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.states.ExitCode;

/**
 * A run of this node as the cluster's SST history holds it, composed from this node's history
 * when it is published (nothing is copied in advance: see ClusterOutbox). What only the
 * server knows (the node's name and address, its version) is filled in by the publisher.
 */
public final class ClusterRows {

    /** mariadb-backup's first line in each of its logs: "…/mariadb-backup based on MariaDB server 10.11.19-MariaDB …". */
    private static final Pattern BACKUP_VERSION = Pattern.compile("based on MariaDB server (\\S+)");
    private static final int WIRE_MAX = 1024;
    private static final int STAGES_MAX = 2048;

    private ClusterRows() {
    }

    public static ClusterRow of(RunDetail d, Path historyDir) {
        var s = d.summary();
        return new ClusterRow(s.id(), s.role(), null, null, d.datadir(), s.peer(), d.attributes().get("peer_run"),
                d.attributes().get("method"), d.toolVersion(), null, backupVersion(d, historyDir).orElse(null),
                s.startedMs(), s.durationMs() == null ? null : s.startedMs() + s.durationMs(), s.outcome(), s.exitCode(),
                s.exitCode() == null ? null : meaning(ExitCode.of(s.exitCode())), s.lastStage(), s.bytes(), stages(d),
                wire(d), error(d), 0);
    }

    private static String meaning(ExitCode code) {
        return code.name() + ": " + code.meaning();
    }

    /** "stage=ms ..." in order; a stage that never finished has "?" for its time. */
    static String stages(RunDetail d) {
        List<String> out = new ArrayList<>();
        for (RunDetail.StageTiming t : d.stageTimings()) {
            out.add(t.stage() + "=" + (t.endMs() == null ? "?" : Long.toString(t.endMs() - t.startMs())));
        }
        return clip(String.join(" ", out), STAGES_MAX);
    }

    /** The protection the run recorded, and each TLS transfer's protocol and cipher (histories before issue 8: null). */
    static String wire(RunDetail d) {
        String security = d.attributes().get("security");
        if (security == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(security);
        for (String transfer : List.of("magic", "backup")) {
            String tls = d.attributes().get("tls." + transfer);
            if (tls != null) {
                out.append("; ").append(transfer).append(": ").append(tls);
            }
        }
        return clip(out.toString(), WIRE_MAX);
    }

    static String error(RunDetail d) {
        if (d.summary().outcome().equals("interrupted")) {
            return "interrupted at " + d.summary().lastStage() + ": the process died without recording an end";
        }
        return d.failure().map(f -> clip(f.stage() + ": " + f.message(), 4096)).orElse(null);
    }

    /** From the first of the run's kept logs that names it (the backup's on a donor, prepare's on a joiner). */
    static Optional<String> backupVersion(RunDetail d, Path historyDir) {
        for (RunDetail.Log log : d.logs()) {
            Path kept = historyDir.resolve("logs").resolve(d.summary().id()).resolve(log.stored());
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(kept)),
                    StandardCharsets.UTF_8))) {
                String line;
                for (int i = 0; i < 20 && (line = r.readLine()) != null; i++) {
                    Matcher m = BACKUP_VERSION.matcher(line);
                    if (m.find()) {
                        return Optional.of(clip(m.group(1), 64));
                    }
                }
            } catch (IOException gone) {
                // a log cleanup removed, or a copy cut short: the version stays unknown
            }
        }
        return Optional.empty();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
