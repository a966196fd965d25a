package org.sstorchestrator.cli;

import java.util.List;
import org.slf4j.MDC;
import org.sstorchestrator.engine.RunJournal;
import org.sstorchestrator.states.RunRecorder;
import org.sstorchestrator.states.exec.ChildListener;
import org.sstorchestrator.states.exec.Command;

/** Adapts the states module's recorder port to the engine's journal for one run. */
final class JournalRecorder implements RunRecorder, ChildListener {

    private final RunJournal journal;
    private final String runId;

    JournalRecorder(RunJournal journal, String runId) {
        this.journal = journal;
        this.runId = runId;
    }

    private static String stage() {
        String s = MDC.get("stage");
        return s == null ? "setup" : s;
    }

    @Override
    public void child(List<String> maskedArgv, Integer exitCode, long startedMs, long endedMs, String logPath) {
        journal.childProcess(runId, stage(), maskedArgv, exitCode, startedMs, endedMs, logPath);
    }

    @Override
    public void ended(Command command, Integer exitCode, long startedMs, long endedMs) {
        child(command.maskedArgv(), exitCode, startedMs, endedMs,
                command.logFile() == null ? null : command.logFile().toString());
    }

    @Override
    public void transfer(String what, long bytes, long startedMs, long endedMs) {
        journal.transfer(runId, stage(), bytes, startedMs, endedMs);
    }

    @Override
    public void attribute(String name, String value) {
        journal.attribute(runId, name, value);
    }
}
