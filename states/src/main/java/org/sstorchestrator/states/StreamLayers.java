package org.sstorchestrator.states;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.states.config.CompressionCommand;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.exec.Tools;
import org.sstorchestrator.states.wire.ChildFilterLayer;
import org.sstorchestrator.states.wire.Codec;
import org.sstorchestrator.states.wire.CompressionLayer;
import org.sstorchestrator.states.wire.OpensslEnc;
import org.sstorchestrator.states.wire.Pipeline;
import org.sstorchestrator.states.wire.ProgressLines;
import org.sstorchestrator.states.wire.WireLayer;
import org.sstorchestrator.states.wire.ZstdLibrary;

/**
 * The run's stream options turned into the {@link Pipeline} both transfers go through, and
 * checked before anything happens. Layers, outermost (next to the socket) first: this role's
 * compressor or decompressor, built in or a child process ({@link CompressionCommand}); then
 * encrypt=1's {@link OpensslEnc}, next to the mbstream, as on the stock wire:
 * compressor(encrypt(mbstream)). The donor's rate limit is added for its backup stream alone
 * ({@code StreamBackup}), as the stock script limits only that one.
 */
public final class StreamLayers {

    private static final Logger LOG = LoggerFactory.getLogger(StreamLayers.class);

    private StreamLayers() {
    }

    public static Pipeline pipeline(SstConfig config, Tools tools, ChildProcesses children, Path datadir) {
        List<WireLayer> layers = new ArrayList<>();
        config.stream().compressor().ifPresent(c -> layers.add(compression(c, true, config, tools, children, datadir)));
        config.stream().decompressor().ifPresent(c -> layers.add(compression(c, false, config, tools, children, datadir)));
        // encrypt=1 is a layer of the copy loop on both transfers, inside the compressor (TLS wraps the socket: WireSecurity)
        config.streamEncryption().ifPresent(e -> layers.add(new OpensslEnc(e)));
        return new Pipeline(List.copyOf(layers));
    }

    private static WireLayer compression(CompressionCommand c, boolean compress, SstConfig config, Tools tools,
                                         ChildProcesses children, Path datadir) {
        if (c.builtin().isPresent()) {
            return compress ? CompressionLayer.compressing(c.builtin().get(), c.setting())
                    : CompressionLayer.decompressing(c.builtin().get(), c.setting());
        }
        // a missing program is refused by preflight, before anything happens
        Command command = Command.of(program(c, tools).orElse(Path.of(c.program())), c.argv().subList(1, c.argv().size()))
                .withLog(datadir.resolve(compress ? SstFiles.COMPRESSOR_LOG : SstFiles.DECOMPRESSOR_LOG))
                .inDirectory(datadir);
        return new ChildFilterLayer(c.setting(), command, children, config.idleTimeout(), compress);
    }

    /** An external compressor's program: a bare name from mysqld's PATH, a path as it is (if executable). */
    private static Optional<Path> program(CompressionCommand c, Tools tools) {
        if (c.program().contains("/")) {
            Path p = Path.of(c.program());
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return tools.find(c.program());
    }

    /**
     * Preflight, both roles: this role's compressor or decompressor can run (exit 2 naming it
     * when its program is missing, where the stock pipeline fails mid-transfer), zstd's library
     * loads when a built-in zstd is asked for, a progress path can be written; and what the
     * run will do is logged and recorded.
     */
    public static void preflight(SstContext ctx) {
        List<CompressionCommand> commands = new ArrayList<>();
        ctx.config.stream().compressor().ifPresent(commands::add);
        ctx.config.stream().decompressor().ifPresent(commands::add);
        for (CompressionCommand c : commands) {
            if (c.builtin().isEmpty() && program(c, ctx.tools).isEmpty()) {
                throw new SstException(ExitCode.ENOENT, c.setting() + " = '" + c.value() + "': '" + c.program()
                        + "' not found in PATH or not executable; install it, or fix " + c.setting());
            }
            if (c.builtin().filter(codec -> codec instanceof Codec.Zstd).isPresent()) {
                ZstdLibrary.load();
            }
            LOG.info("{}: {}", c.setting(), c.describe());
            ctx.recorder.attribute(c.setting().replace("[sst] ", ""), c.describe());
        }
        if (!ctx.config.stream().sockOpts().isEmpty()) {
            LOG.info("[sst] sockopt: {}", ctx.config.stream().sockOpts().describe());
            ctx.recorder.attribute("sockopt", ctx.config.stream().sockOpts().describe());
        }
        ProgressLines.check(ctx.config.stream().progress(), ctx.datadir);
    }
}
