package org.sstorchestrator.states.transfer;

import java.util.List;
import org.sstorchestrator.states.exec.ChildLog;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.wire.compress.ChildFilterLayer;

/**
 * A compressor or decompressor we do not build in, as the wire's filter: started as every child
 * of the run is (argv, never a shell; its start and exit code recorded with the stage), its
 * stderr told from its log when it fails.
 */
final class ChildFilter implements ChildFilterLayer.Filter {

    private final Command command;
    private final ChildProcesses children;

    ChildFilter(Command command, ChildProcesses children) {
        this.command = command;
        this.children = children;
    }

    @Override
    public List<String> argv() {
        return command.argv();
    }

    @Override
    public ChildFilterLayer.Child start() {
        return children.stream(command);
    }

    @Override
    public String stderr() {
        return ChildLog.summarize(command.logFile()).describe();
    }
}
