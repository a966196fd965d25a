package org.sstorchestrator.cli.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.states.RunRecorder;
import org.sstorchestrator.states.exec.ChildListener;
import org.sstorchestrator.states.exec.Command;

/**
 * Adapts the states module's recorder port to the history for one run, each record tagged
 * with the stage the runner says the run is in, and keeps a gzipped
 * copy of each child's log under {@code <history>/logs/<run>/}, where the next SST's log
 * rotation cannot overwrite it.
 */
public final class JournalRecorder implements RunRecorder, ChildListener, org.sstorchestrator.engine.StageListener {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecorder.class);

    private final H2RunJournal journal;
    private final String runId;
    private final Path logDir;
    private final AtomicInteger logs = new AtomicInteger();
    /** The stage the runner last entered: what every record of this recorder belongs to. */
    private volatile String stage = "setup";

    public JournalRecorder(H2RunJournal journal, String runId, Path historyDir) {
        this.journal = journal;
        this.runId = runId;
        this.logDir = historyDir.resolve("logs").resolve(runId);
    }

    static Path logDir(Path historyDir, String runId) {
        return historyDir.resolve("logs").resolve(runId);
    }

    @Override
    public void entering(String next) {
        stage = next;
    }

    private String stage() {
        return stage;
    }

    @Override
    public void child(List<String> maskedArgv, Integer exitCode, long startedMs, long endedMs, String logPath) {
        journal.childProcess(runId, stage(), maskedArgv, exitCode, startedMs, endedMs, logPath);
    }

    @Override
    public void ended(Command command, Integer exitCode, long startedMs, long endedMs) {
        child(command.maskedArgv(), exitCode, startedMs, endedMs,
                command.logFile() == null ? null : command.logFile().toString());
        if (command.logFile() != null) {
            keep(command.logFile());
        }
    }

    private void keep(Path log) {
        try {
            if (!Files.isRegularFile(log) || Files.size(log) == 0) {
                return;
            }
            org.sstorchestrator.persistence.PrivateFiles.createDirectory(logDir);
            String stored;
            do { // a resumed run numbers from 1 again: never over a copy its first process kept
                stored = String.format("%02d-%s-%s.gz", logs.incrementAndGet(), stage(), log.getFileName());
            } while (Files.exists(logDir.resolve(stored), java.nio.file.LinkOption.NOFOLLOW_LINKS));
            try (InputStream in = Files.newInputStream(log);
                 OutputStream out = new GZIPOutputStream(org.sstorchestrator.persistence.PrivateFiles.create(logDir.resolve(stored)))) {
                in.transferTo(out);
            }
            journal.runLog(runId, stage(), log.toString(), stored, Files.size(log));
        } catch (IOException e) {
            LOG.warn("could not keep a copy of {}: {}", log, e.getMessage());
        }
    }

    @Override
    public void transfer(String what, long bytes, long startedMs, long endedMs, boolean complete) {
        journal.transfer(runId, stage(), what, bytes, startedMs, endedMs, complete);
    }

    @Override
    public void note(String kind, String detail) {
        journal.note(runId, stage(), kind, detail);
    }

    @Override
    public void started(Command command, ProcessHandle process) {
        journal.childStarted(runId, stage(), process.pid(),
                org.sstorchestrator.persistence.OwnerLiveness.startOf(process), command.program().toString());
    }

    @Override
    public void attribute(String name, String value) {
        journal.attribute(runId, name, value);
    }

    @Override
    public void progress(long bytes, Long total) {
        journal.progress(runId, stage(), bytes, total);
    }
}
