package org.sstorchestrator.states.config;

import java.util.List;
import java.util.Optional;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.wire.compress.Codec;

/**
 * {@code [sst] compressor} (donor) or {@code decompressor} (joiner), read as the stock script
 * reads it: a command the stream is piped through. The stock script pastes the text into a
 * bash command line; we never run a shell (promise P6). The value is split into words as a
 * shell would split it ({@link Words}), and then:
 *
 * <ul>
 * <li>a command we recognise, named without a path ({@code zstd -3 -T2}, {@code lz4 -d},
 * {@code pigz -p4 -c}, ...), runs in our copy loop as a {@link Codec} that writes and reads the
 * same frames as the tool;</li>
 * <li>any other command, or one named with a path ({@code /usr/bin/zstd -d}: the way to insist
 * on the tool itself), runs as a child process from its argv, stdin to stdout, its exit code
 * and stderr recorded;</li>
 * <li>shell syntax (a pipe, a redirection, {@code ;}, {@code &}, {@code $}, a backquote or a
 * parenthesis outside quotes) is refused naming the character: put such a pipeline in a
 * script and name the script.</li>
 * </ul>
 *
 * A recognised command with any option we do not model exactly (a file operand, {@code -o},
 * {@code --long}, {@code lz4 -BD}, {@code pigz -11}, ...) runs as the tool itself, so
 * recognition never changes what reaches the other node.
 */
public record CompressionCommand(String setting, String value, List<String> argv, Optional<Codec> builtin) {

    /** Which way the command works: the donor's compressor, the joiner's decompressor. */
    public enum Direction { COMPRESS, DECOMPRESS }

    public CompressionCommand {
        argv = List.copyOf(argv);
    }

    public static CompressionCommand parse(String setting, String value, Direction direction) {
        Words.unquotedShellSyntax(value).ifPresent(c -> {
            throw new SstException(ExitCode.EINVAL, setting + " = '" + value + "' is invalid: it uses shell syntax ('" + c
                    + "'), and mariabackup_sm never runs a shell; put the pipeline in a script and name the script");
        });
        List<String> argv = Words.split(setting, value);
        if (argv.isEmpty()) {
            throw new SstException(ExitCode.EINVAL, setting + " = '" + value + "' is invalid: it names no command");
        }
        return new CompressionCommand(setting, value, argv, ToolFlags.recognise(argv, direction));
    }

    /** The program to run when it is not built in: a bare name is looked up on PATH. */
    public String program() {
        return argv.get(0);
    }

    /** For logs and the run's record. */
    public String describe() {
        return builtin.map(c -> "built-in " + c.describe()).orElse("child process " + String.join(" ", argv));
    }
}
