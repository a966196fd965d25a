package org.sstorchestrator.persistence;

import java.util.List;
import java.util.Map;

/** Everything recorded about one run, for {@code sst-admin inspect}, {@code logs}, {@code cleanup} and {@code resume}. */
public record RunDetail(RunSummary summary, String datadir, String toolVersion, List<Event> events,
                        List<Child> children, List<Transfer> transfers, Map<String, String> attributes,
                        List<Log> logs, List<Action> actions, List<String> arguments, String endMessage,
                        List<Note> notes, List<ChildStart> childStarts) {

    public record Event(String stage, String kind, String outcome, long atMs, Integer errorCode, String message) {
    }

    public record Child(String stage, String argv, Integer exitCode, long startedMs, long endedMs, String logPath) {
    }

    /** {@code complete} is null in histories of 0.1.0, which recorded complete transfers only. */
    public record Transfer(String stage, String what, long bytes, long startedMs, long endedMs, Boolean complete) {

        public boolean cutShort() {
            return Boolean.FALSE.equals(complete);
        }
    }

    public record Note(String stage, String kind, String detail, long atMs) {
    }

    /** A child as it started: cleanup kills only a process with this pid and this start time. */
    public record ChildStart(String stage, long pid, Long pidStartedMs, String program) {
    }

    public record Log(String stage, String source, String stored, long bytes) {
    }

    public record Action(String action, String detail, long atMs) {
    }

    /**
     * A stage as it ran: from its started event to its completed or failed one; {@code endMs}
     * null for a stage that never finished. {@code outcome} is the completed event's outcome,
     * "FAILED (exit N)", "running" or "never finished".
     */
    public record StageTiming(String stage, long startMs, Long endMs, String outcome) {
    }

    /** The stages in the order they ended, then those still open (sst-admin inspect, the cluster's row). */
    public List<StageTiming> stageTimings() {
        List<StageTiming> out = new java.util.ArrayList<>();
        Map<String, Long> started = new java.util.LinkedHashMap<>();
        for (Event e : events) {
            switch (e.kind()) {
                case "started" -> started.put(e.stage(), e.atMs());
                case "completed" -> out.add(new StageTiming(e.stage(), started.remove(e.stage()), e.atMs(), e.outcome()));
                default -> out.add(new StageTiming(e.stage(), started.remove(e.stage()), e.atMs(),
                        "FAILED (exit " + e.errorCode() + ")"));
            }
        }
        started.forEach((stage, at) -> out.add(new StageTiming(stage, at, null,
                summary.outcome().equals("running") ? "running" : "never finished")));
        return out;
    }

    /** Stages with a completed event, in order. */
    public List<String> completedStages() {
        return events.stream().filter(e -> e.kind().equals("completed")).map(Event::stage).toList();
    }

    /** The first failed event, if any. */
    public java.util.Optional<Event> failure() {
        return events.stream().filter(e -> e.kind().equals("failed")).findFirst();
    }
}
