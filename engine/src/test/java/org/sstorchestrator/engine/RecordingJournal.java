package org.sstorchestrator.engine;

import java.util.ArrayList;
import java.util.List;

/** Keeps the journal in a list, to test the runner alone (the real one is tested in persistence). */
final class RecordingJournal implements RunJournal {

    final List<String> lines = new ArrayList<>();

    @Override
    public void stageStarted(String runId, String stage) {
        lines.add(stage + ":started");
    }

    @Override
    public void stageCompleted(String runId, String stage, String outcome) {
        lines.add(stage + ":completed" + (Stage.OK.equals(outcome) ? "" : ":" + outcome));
    }

    @Override
    public void stageFailed(String runId, String stage, int code, String message) {
        lines.add(stage + ":failed:" + code);
    }

    @Override
    public void runEnded(String runId, boolean completed, int exitCode, String message) {
        lines.add("end:" + (completed ? "completed" : "failed") + ":" + exitCode);
    }
}
