package org.sstorchestrator.states.machine;

import static org.sstorchestrator.engine.Reentry.LIVE_ONLY;
import static org.sstorchestrator.engine.Reentry.ONCE;
import static org.sstorchestrator.engine.Reentry.REPEATABLE;

import java.util.Collection;
import java.util.List;
import org.sstorchestrator.engine.Machine;
import org.sstorchestrator.engine.TransitionTable;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.donor.DonorAbort;
import org.sstorchestrator.states.donor.DonorCleanup;
import org.sstorchestrator.states.donor.DonorPreflight;
import org.sstorchestrator.states.donor.Estimate;
import org.sstorchestrator.states.donor.ReportDone;
import org.sstorchestrator.states.donor.SendMagic;
import org.sstorchestrator.states.donor.StreamBackup;
import org.sstorchestrator.states.joiner.CheckVersions;
import org.sstorchestrator.states.joiner.Decompress;
import org.sstorchestrator.states.joiner.DropBinlogs;
import org.sstorchestrator.states.joiner.FromDonor;
import org.sstorchestrator.states.joiner.JoinerAbort;
import org.sstorchestrator.states.joiner.JoinerCleanup;
import org.sstorchestrator.states.joiner.JoinerPreflight;
import org.sstorchestrator.states.joiner.Listen;
import org.sstorchestrator.states.joiner.Listening;
import org.sstorchestrator.states.joiner.MagicDir;
import org.sstorchestrator.states.joiner.MoveBack;
import org.sstorchestrator.states.joiner.PlanSpace;
import org.sstorchestrator.states.joiner.PrepareBackup;
import org.sstorchestrator.states.joiner.ReceiveMagic;
import org.sstorchestrator.states.joiner.ReceiveStream;
import org.sstorchestrator.states.joiner.Received;
import org.sstorchestrator.states.joiner.ReportPosition;
import org.sstorchestrator.states.joiner.WipeBegan;
import org.sstorchestrator.states.joiner.WipeDatadir;
import org.sstorchestrator.states.joiner.WipeEarly;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.transfer.Transfers;

/**
 * The two machines, each declared once: every stage with its class, its way forward, what it
 * needs from earlier stages and gives to later ones, and whether a resumed run may enter it.
 * The transition tables (docs/state-machines.md is generated from them), the resume rule and
 * the lists the tests iterate over all come from here.
 *
 * <p>The wipe comes after prepare, not before the stream as in the stock script, so a bad
 * stream or a failed prepare leaves the old datadir whole (promise P5), unless the new data
 * does not fit beside the old: then plan_space takes the stock order through wipe_early.
 * check_versions comes before either wipe: a donor of a newer major version is refused there
 * when it announces its versions (ours), else as prepare begins (the stock donor's, from its backup).
 * Cleanup comes before the report, so the position or {@code done} line is the run's last act.
 */
public final class SstMachines {

    public static final String PREFLIGHT = "preflight";

    private static final Machine<SstContext> JOINER = Machine.<SstContext>builder("joiner")
            .stage(PREFLIGHT, JoinerPreflight::new, REPEATABLE).next("listen")
                    .gives(Binaries.class, SstLock.class, Transfers.class)
            .stage("listen", Listen::new, LIVE_ONLY).next("receive_magic").needs(Transfers.class).gives(Listening.class)
            .stage("receive_magic", ReceiveMagic::new, LIVE_ONLY).next("check_versions").on(ReceiveMagic.IST, "cleanup")
                    .needs(Listening.class, Transfers.class)
                    .gives(FromDonor.class, org.sstorchestrator.states.joiner.MagicDir.class)
            .stage("check_versions", CheckVersions::new, LIVE_ONLY).next("plan_space").needs(Binaries.class, MagicDir.class)
            .stage("plan_space", PlanSpace::new, LIVE_ONLY).next("receive_stream").on(PlanSpace.WIPE_FIRST, "wipe_early")
                    .needs(FromDonor.class)
            .stage("wipe_early", WipeEarly::new, LIVE_ONLY).next("receive_stream").gives(WipeBegan.class)
            .stage("receive_stream", ReceiveStream::new, LIVE_ONLY).next("decompress")
                    .needs(Binaries.class, Listening.class, FromDonor.class, Transfers.class).gives(Received.class)
            .stage("decompress", Decompress::new, REPEATABLE).next("prepare").needs(Received.class)
            .stage("prepare", PrepareBackup::new, REPEATABLE).next("wipe_datadir").needs(Binaries.class, Received.class)
            .stage("wipe_datadir", WipeDatadir::new, REPEATABLE).next("drop_binlogs").needs(Received.class)
                    .gives(WipeBegan.class)
            .stage("drop_binlogs", DropBinlogs::new, REPEATABLE).next("move_back").needs(Received.class)
            .stage("move_back", MoveBack::new, ONCE).next("cleanup").needs(Binaries.class, Received.class)
            .stage("cleanup", JoinerCleanup::new, REPEATABLE).next("report_position")
            .stage("report_position", ReportPosition::new, REPEATABLE).next("completed")
            .recovery("abort", JoinerAbort::new)
            .build();

    private static final Machine<SstContext> DONOR = Machine.<SstContext>builder("donor")
            .stage(PREFLIGHT, DonorPreflight::new, LIVE_ONLY).next("send_magic")
                    .gives(Binaries.class, SstLock.class, Transfers.class)
            .stage("send_magic", SendMagic::new, LIVE_ONLY).next("stream_backup").on(SendMagic.IST, "cleanup")
                    .needs(Binaries.class, Transfers.class).gives(Estimate.class)
            .stage("stream_backup", StreamBackup::new, LIVE_ONLY).next("cleanup")
                    .needs(Binaries.class, Estimate.class, Transfers.class)
            .stage("cleanup", DonorCleanup::new, LIVE_ONLY).next("report_done")
            .stage("report_done", ReportDone::new, LIVE_ONLY).next("completed")
            .recovery("abort", DonorAbort::new)
            .build();

    private SstMachines() {
    }

    public static Machine<SstContext> joiner() {
        return JOINER;
    }

    public static Machine<SstContext> donor() {
        return DONOR;
    }

    public static Machine<SstContext> of(Role role) {
        return role == Role.JOINER ? JOINER : DONOR;
    }

    public static TransitionTable joinerTable() {
        return JOINER.table();
    }

    public static TransitionTable donorTable() {
        return DONOR.table();
    }

    /**
     * The stage fact "the wipe began", for a recorded joiner run ({@code stages}: the stages its
     * history has events of): a stage declared to give {@link WipeBegan} had begun, its first act
     * being the wipe, so from then on the datadir may hold only part of any data. sst-admin asks
     * this, never a stage's name.
     */
    public static boolean wipeBegan(Collection<String> stages) {
        return JOINER.anyGives(stages, WipeBegan.class);
    }

    /**
     * The stage fact "the new data is in place", for a recorded joiner run ({@code completed}:
     * its completed stages): the stage declared to run only once, the move into the datadir,
     * completed; before it, after a wipe, the received copy may be the only one.
     */
    public static boolean dataInPlace(Collection<String> completed) {
        return completed.stream().anyMatch(s -> JOINER.workingStates().contains(s) && JOINER.decl(s).reentry() == ONCE);
    }

    /**
     * The stage fact "resumable from here", for a recorded run of {@code role} ("joiner",
     * "donor"): the declared machine lets a resumed run in ({@link Machine#resumeFrom}; a donor
     * never, its stages are all {@code LIVE_ONLY}).
     */
    public static boolean resumable(String role, List<String> completed, List<String> started) {
        return JOINER.name().equals(role) ? JOINER.resumable(completed, started)
                : DONOR.name().equals(role) && DONOR.resumable(completed, started);
    }

    /** docs/state-machines.md: both diagrams, generated. */
    public static String diagramsMarkdown() {
        return "# SST state machines\n\n"
                + "Generated from `SstMachines.java`; `GeneratedDocsTest` fails when this file is stale.\n"
                + "Every transition is committed to the run history before and after its stage's side effects.\n\n"
                + "## Joiner\n\n```mermaid\n" + JOINER.table().toMermaid() + "```\n\n"
                + "## Donor\n\n```mermaid\n" + DONOR.table().toMermaid() + "```\n";
    }
}
