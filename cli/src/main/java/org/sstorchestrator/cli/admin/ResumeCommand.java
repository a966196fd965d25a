package org.sstorchestrator.cli.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;
import org.sstorchestrator.cli.log.SstLogFormat;
import org.sstorchestrator.cli.run.RunAssembly;
import org.sstorchestrator.engine.Machine;
import org.sstorchestrator.engine.Reentry;
import org.sstorchestrator.engine.RunResult;
import org.sstorchestrator.persistence.H2RunJournal;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryException;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.OwnerLiveness;
import org.sstorchestrator.persistence.RunDetail;
import org.sstorchestrator.states.layout.BinlogNames;
import org.sstorchestrator.states.args.Credentials;
import org.sstorchestrator.states.layout.DataDirs;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.args.SstArguments;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.layout.SstLock;
import org.sstorchestrator.states.machine.SstMachines;
import org.sstorchestrator.states.config.ServerFiles;
import org.sstorchestrator.states.joiner.JoinerPreflight;
import org.sstorchestrator.states.joiner.MagicDir;
import org.sstorchestrator.states.joiner.Received;
import org.sstorchestrator.states.joiner.WipeBegan;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.wire.ControlChannel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sst-admin resume}: the disaster case where the donor is gone. A joiner interrupted
 * after its stream was completely received (the checkpoints say so and {@code .sst} holds
 * the checkpoints file) is finished from its first incomplete stage: decompress, prepare,
 * wipe, binlogs, move-back. The same run continues in the history, owned by this process.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused or failed; the message names the value and the reason", "2:invalid usage"},
        description = "Finishes a joiner that was interrupted after receiving its whole stream, without a donor,"
                + " leaving a datadir mysqld can start on. Any other run is refused with the reason.")
public final class ResumeCommand implements Callable<Integer> {

    @Mixin
    HistoryOptions where;

    @Parameters(index = "0", paramLabel = "RUN", description = "the interrupted joiner run (id, prefix or 'last')")
    String run;

    @picocli.CommandLine.Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @picocli.CommandLine.Option(names = "--defaults-extra-file",
            description = "the extra option file the run was started with, if any (never taken from the record)")
    Path defaultsExtraFile;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = where.resolve();
        RunDetail d;
        try (HistoryDatabase db = HistoryDatabase.openForReading(dir)) {
            HistoryQueries q = new HistoryQueries(db);
            d = q.detail(q.resolveRunId(run));
        }
        String from = firstIncomplete(d);
        SstArguments args = SstArguments.parse(d.arguments().toArray(String[]::new));
        sameOptionFiles(d.summary().id(), args);
        Path datadir = args.datadir();
        Map<String, String> env = environment(d);
        RunAssembly assembly = new RunAssembly(args, env, new Abort());
        org.sstorchestrator.states.config.OptionFiles cnf = assembly.options();
        trustLayout(d, args, dir, env, cnf);
        SstLock.liveOwner(datadir.resolve(SstLock.FILE)).ifPresent(pid -> {
            throw new HistoryException("an SST (pid " + pid + ") is running on " + datadir + "; resume refused");
        });
        if (!SstFiles.holdsWholeBackup(datadir)) {
            throw new HistoryException("run " + d.summary().id() + ": " + SstFiles.receiveDir(datadir)
                    + " is gone or holds no checkpoints file; it cannot be resumed (was it cleaned up?)");
        }
        if (!json) {
            out.printf("Resuming joiner run %s from %s (the stream was received completely)%n", d.summary().id(), from);
            out.flush();
        }
        String position = null;
        String failure = null;

        SstLogFormat.install(System.err, "1".equals(System.getenv("SST_DEBUG")));
        MDC.put("role", "joiner");
        MDC.put("run", d.summary().id());
        ByteArrayOutputStream control = new ByteArrayOutputStream();
        int code;
        try (HistoryDatabase db = HistoryDatabase.openForUpdate(dir)) {
            if (db.isSnapshot()) {
                throw new HistoryException("an SST holds the run history in " + dir + "; resume refused while it runs");
            }
            H2RunJournal journal = new H2RunJournal(db, System::currentTimeMillis);
            ProcessHandle self = ProcessHandle.current();
            journal.owner(d.summary().id(), self.pid(), OwnerLiveness.startOf(self), "resume");
            journal.adminAction(d.summary().id(), "resume", "resumed from " + from + " by pid " + self.pid());
            RunAssembly.Run run = assembly.assemble(d.summary().id(), cnf, journal, dir,
                    new ControlChannel(new PrintStream(control, true, StandardCharsets.UTF_8)), Credentials.NONE, null);
            if (run.context() != null) {
                reentryFacts(run.context(), d, from);
            }
            RunResult result = run.executeFrom(from);
            code = result.failure().map(f -> f.code()).orElse(0);
            if (result.completed()) {
                position = control.toString(StandardCharsets.UTF_8).strip();
                writeGrastate(datadir, position);
            } else {
                failure = result.failure().get().message();
            }
        }
        if (json) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("run", d.summary().id());
            m.put("resumed_from", from);
            m.put("completed", failure == null);
            m.put("position", position);
            m.put("exit_code", code);
            m.put("error", failure);
            out.println(Json.write(m));
        } else if (failure == null) {
            out.printf("Done: %s now holds the donor's data at position %s.%n", datadir, position);
            out.printf("grastate.dat records it, so mysqld rejoins by IST if the cluster still has the writesets"
                    + " (else it asks for a new SST).%n");
        } else {
            out.printf("Resume failed: %s (exit %d); see sst-admin inspect %s%n", failure, code,
                    d.summary().id().substring(0, 8));
        }
        out.flush();
        return code == 0 ? 0 : 1;
    }

    /** Refuses, naming the reason, any run that is not an interrupted joiner past its stream. */
    static String firstIncomplete(RunDetail d) {
        String id = d.summary().id();
        if (!d.summary().role().equals("joiner")) {
            throw new HistoryException("run " + id + " is a donor run; only a joiner can be resumed");
        }
        if (!d.summary().outcome().equals("interrupted")) {
            throw new HistoryException("run " + id + " is " + d.summary().outcome()
                    + "; only an interrupted run (its process died) can be resumed");
        }
        List<String> started = d.events().stream().filter(e -> e.kind().equals("started")).map(RunDetail.Event::stage)
                .toList();
        Machine.Resume r = SstMachines.joiner().resumeFrom(d.completedStages(), started);
        if (r.stage().isPresent()) {
            return r.stage().get();
        }
        if (r.blockedBy() == Reentry.ONCE) {
            throw new HistoryException("run " + id + " had started " + r.blockedAt().replace('_', '-')
                    + ", so .sst is no longer complete; only a new SST can help");
        }
        if (r.blockedBy() == Reentry.LIVE_ONLY) {
            throw new HistoryException("run " + id + " was interrupted in " + d.summary().lastStage()
                    + ", before its stream was completely received; only a new SST can help");
        }
        throw new HistoryException("run " + id + " reached its end; there is nothing to resume");
    }

    /**
     * What a resumed run is given instead of what its dead process's stages gave: the tools
     * and the lock, found and taken again as preflight does; the received backup (resume is
     * refused without it); the wipe if it had begun (then a failing resume keeps .sst, the
     * only copy); transfer 1's temporary directory, if it is one of ours, for cleanup. The
     * machine says what the stages from the entry on need; all of it must be here.
     */
    private static void reentryFacts(SstContext ctx, RunDetail d, String from) {
        ctx.facts().put(JoinerPreflight.binaries(ctx));
        ctx.facts().put(SstLock.acquire(ctx.datadir, java.time.Duration.ZERO, ctx.nanos));
        ctx.facts().put(new Received());
        if (Leftovers.wipeBegan(d)) {
            ctx.facts().put(new WipeBegan());
        }
        String magic = d.attributes().get(SstFiles.TMP_MAGIC);
        Path base = Path.of(d.attributes().getOrDefault(SstFiles.TMP_BASE, System.getProperty("java.io.tmpdir")));
        if (magic != null && SstFiles.isOurTempDir(Path.of(magic), base)) {
            ctx.facts().put(new MagicDir(Path.of(magic)));
        }
        for (Class<?> need : SstMachines.joiner().neededFrom(from)) {
            if (!ctx.facts().has(need)) {
                throw new IllegalStateException("resuming at " + from + " needs " + need.getSimpleName());
            }
        }
    }

    /**
     * The environment the resumed run works in: ours, except that the directory variables
     * mysqld sets for an SST ({@code INNODB_DATA_HOME_DIR} ...) are the ones the original run
     * recorded, not whatever this shell has. Nothing else comes from the record: it is
     * writable by the SST's user, and a recorded {@code PATH} (or {@code LD_PRELOAD},
     * {@code JAVA_TOOL_OPTIONS} ...) would choose what a root resume runs (issue 18).
     */
    static Map<String, String> environment(RunDetail d) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        java.util.Set<String> dirVariables = new java.util.HashSet<>();
        for (DataDirs.Kind k : DataDirs.Kind.values()) {
            k.env().ifPresent(dirVariables::add);
        }
        dirVariables.forEach(env::remove);
        d.attributes().forEach((name, value) -> {
            String variable = name.startsWith(JoinerPreflight.ENV_ATTRIBUTE)
                    ? name.substring(JoinerPreflight.ENV_ATTRIBUTE.length()) : null;
            if (variable != null && dirVariables.contains(variable)) {
                env.put(variable, value);
            }
        });
        return env;
    }

    /**
     * The option files a resumed run reads are the ones named on resume's command line (or
     * the server's own, when none is), never a recorded path that differs: an option file
     * names the programs and libraries the run starts (issue 18). A run started with other
     * files is refused, with the option that would resume it.
     */
    private void sameOptionFiles(String id, SstArguments recorded) {
        same(id, "--defaults-file", recorded.get("defaults-file"), where.defaultsFile);
        same(id, "--defaults-extra-file", recorded.get("defaults-extra-file"), defaultsExtraFile);
    }

    private static void same(String id, String option, java.util.Optional<String> recorded, Path given) {
        java.util.Optional<Path> r = recorded.map(f -> Path.of(f).toAbsolutePath().normalize());
        java.util.Optional<Path> g = java.util.Optional.ofNullable(given).map(f -> f.toAbsolutePath().normalize());
        if (r.equals(g)) {
            return;
        }
        throw new HistoryException("run " + id + " was started with " + r.map(f -> option + "=" + f).orElse("no " + option)
                + ", and resume was given " + g.map(f -> option + "=" + f).orElse("none") + "; resume reads only the option"
                + " files named on its own command line (never a path from the record): "
                + r.map(f -> "pass " + option + "=" + f).orElse("leave " + option + " out") + " if that file is the node's own");
    }

    /** What a node that has a state writes, so the resumed datadir rejoins at its position. */
    static void writeGrastate(Path datadir, String position) throws IOException {
        SstFiles.writeGrastate(datadir, position);
    }

    /**
     * Resume wipes and fills directories taken from the run's recorded arguments, and it often
     * runs as root while the history is writable by the SST's user: a forged history must not
     * make it wipe what that user could not. So the datadir must be the run's own (and the one
     * the operator named, if any), and every directory it touches must be a real directory
     * owned by the history's owner.
     */
    private void trustLayout(RunDetail d, SstArguments args, Path historyDir, Map<String, String> env,
                             org.sstorchestrator.states.config.OptionFiles cnf) throws IOException {
        Path datadir = args.datadir();
        if (!datadir.equals(Path.of(d.datadir()).toAbsolutePath().normalize())) {
            throw new HistoryException("run " + d.summary().id() + ": its recorded arguments name the datadir " + datadir
                    + ", its record " + d.datadir() + "; resume refused");
        }
        if (where.datadir != null && !where.datadir.toAbsolutePath().normalize().equals(datadir)) {
            throw new HistoryException("run " + d.summary().id() + " is of the datadir " + datadir + ", not of --datadir "
                    + where.datadir + "; resume refused");
        }
        java.nio.file.attribute.UserPrincipal owner = Files.getOwner(historyDir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        List<Path> touched = new java.util.ArrayList<>(List.of(datadir));
        ServerFiles files = ServerFiles.from(cnf);
        DataDirs.resolve(args, env, files, Role.JOINER).separate().stream().filter(Files::exists).forEach(touched::add);
        BinlogNames.resolve(args, files, Role.JOINER).files(datadir).map(BinlogNames.Files::dir).filter(Files::exists)
                .ifPresent(touched::add);
        for (Path p : touched) {
            if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new HistoryException("run " + d.summary().id() + ": " + p + " is not a directory (a link?); resume refused");
            }
            java.nio.file.attribute.UserPrincipal actual = Files.getOwner(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!actual.equals(owner)) {
                throw new HistoryException("run " + d.summary().id() + ": " + p + " is owned by " + actual.getName()
                        + ", not by " + owner.getName() + " who owns the history; resume refused");
            }
        }
    }
}
