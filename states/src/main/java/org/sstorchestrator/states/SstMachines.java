package org.sstorchestrator.states;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.engine.TransitionTable;
import org.sstorchestrator.states.donor.DonorAbort;
import org.sstorchestrator.states.donor.DonorCleanup;
import org.sstorchestrator.states.donor.DonorPreflight;
import org.sstorchestrator.states.donor.ReportDone;
import org.sstorchestrator.states.donor.SendMagic;
import org.sstorchestrator.states.donor.StreamBackup;
import org.sstorchestrator.states.joiner.Decompress;
import org.sstorchestrator.states.joiner.JoinerAbort;
import org.sstorchestrator.states.joiner.JoinerCleanup;
import org.sstorchestrator.states.joiner.JoinerPreflight;
import org.sstorchestrator.states.joiner.Listen;
import org.sstorchestrator.states.joiner.MoveBack;
import org.sstorchestrator.states.joiner.MoveBinlogs;
import org.sstorchestrator.states.joiner.PlanSpace;
import org.sstorchestrator.states.joiner.PrepareBackup;
import org.sstorchestrator.states.joiner.ReceiveMagic;
import org.sstorchestrator.states.joiner.ReceiveStream;
import org.sstorchestrator.states.joiner.ReportPosition;
import org.sstorchestrator.states.joiner.WipeDatadir;
import org.sstorchestrator.states.joiner.WipeEarly;

/**
 * The two transition tables (the single source of truth for each role's graph) and the
 * stage that implements each state. docs/state-machines.md is generated from the tables.
 *
 * <p>The wipe comes after prepare, not before the stream as in the stock script, so a bad
 * stream or a failed prepare leaves the old datadir whole (promise P5), unless the new data
 * does not fit beside the old: then plan_space takes the stock order through wipe_early. Cleanup comes before
 * the report, so the position or {@code done} line is the run's very last act.
 */
public final class SstMachines {

    public static final String PREFLIGHT = "preflight";

    private SstMachines() {
    }

    public static TransitionTable joinerTable() {
        return TransitionTable.builder("joiner")
                .state(PREFLIGHT).state("listen").state("receive_magic").state("plan_space").state("wipe_early")
                .state("receive_stream").state("decompress")
                .state("prepare").state("wipe_datadir").state("binlog_move").state("move_back").state("cleanup")
                .state("report_position")
                .on(PREFLIGHT, Stage.OK, "listen")
                .on("listen", Stage.OK, "receive_magic")
                .on("receive_magic", Stage.OK, "plan_space")
                .on("plan_space", Stage.OK, "receive_stream")
                .on("plan_space", PlanSpace.WIPE_FIRST, "wipe_early")
                .on("wipe_early", Stage.OK, "receive_stream")
                .on("receive_magic", ReceiveMagic.IST, "cleanup")
                .on("receive_stream", Stage.OK, "decompress")
                .on("decompress", Stage.OK, "prepare")
                .on("prepare", Stage.OK, "wipe_datadir")
                .on("wipe_datadir", Stage.OK, "binlog_move")
                .on("binlog_move", Stage.OK, "move_back")
                .on("move_back", Stage.OK, "cleanup")
                .on("cleanup", Stage.OK, "report_position")
                .on("report_position", Stage.OK, "completed")
                .build();
    }

    public static Map<String, Stage<SstContext>> joinerStages() {
        Map<String, Stage<SstContext>> m = new LinkedHashMap<>();
        m.put(PREFLIGHT, new JoinerPreflight());
        m.put("listen", new Listen());
        m.put("receive_magic", new ReceiveMagic());
        m.put("plan_space", new PlanSpace());
        m.put("wipe_early", new WipeEarly());
        m.put("receive_stream", new ReceiveStream());
        m.put("decompress", new Decompress());
        m.put("prepare", new PrepareBackup());
        m.put("wipe_datadir", new WipeDatadir());
        m.put("binlog_move", new MoveBinlogs());
        m.put("move_back", new MoveBack());
        m.put("cleanup", new JoinerCleanup());
        m.put("report_position", new ReportPosition());
        m.put("abort", new JoinerAbort());
        return m;
    }

    public static TransitionTable donorTable() {
        return TransitionTable.builder("donor")
                .state(PREFLIGHT).state("send_magic").state("stream_backup").state("cleanup").state("report_done")
                .on(PREFLIGHT, Stage.OK, "send_magic")
                .on("send_magic", Stage.OK, "stream_backup")
                .on("send_magic", SendMagic.IST, "cleanup")
                .on("stream_backup", Stage.OK, "cleanup")
                .on("cleanup", Stage.OK, "report_done")
                .on("report_done", Stage.OK, "completed")
                .build();
    }

    public static Map<String, Stage<SstContext>> donorStages() {
        Map<String, Stage<SstContext>> m = new LinkedHashMap<>();
        m.put(PREFLIGHT, new DonorPreflight());
        m.put("send_magic", new SendMagic());
        m.put("stream_backup", new StreamBackup());
        m.put("cleanup", new DonorCleanup());
        m.put("report_done", new ReportDone());
        m.put("abort", new DonorAbort());
        return m;
    }

    public static TransitionTable table(Role role) {
        return role == Role.JOINER ? joinerTable() : donorTable();
    }

    public static Map<String, Stage<SstContext>> stages(Role role) {
        return role == Role.JOINER ? joinerStages() : donorStages();
    }

    /** docs/state-machines.md: both diagrams, generated. */
    public static String diagramsMarkdown() {
        return "# SST state machines\n\n"
                + "Generated from `SstMachines.java`; `GeneratedDocsTest` fails when this file is stale.\n"
                + "Every transition is committed to the run history before and after its stage's side effects.\n\n"
                + "## Joiner\n\n```mermaid\n" + joinerTable().toMermaid() + "```\n\n"
                + "## Donor\n\n```mermaid\n" + donorTable().toMermaid() + "```\n";
    }
}
