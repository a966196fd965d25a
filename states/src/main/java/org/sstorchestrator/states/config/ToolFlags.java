package org.sstorchestrator.states.config;

import java.util.List;
import java.util.Optional;
import org.sstorchestrator.states.config.CompressionCommand.Direction;
import org.sstorchestrator.wire.compress.Codec;

/**
 * Reads the command lines of zstd, lz4, gzip and pigz (1.5.4, 1.9.4, 1.12 and 2.6, Debian 12)
 * as those tools read them, far enough to tell whether we can stand in for the tool: its
 * direction, level, threads and frame options, with stdin in and stdout out. Anything we do
 * not model exactly gives empty, and the tool itself runs: a file operand, {@code -o},
 * {@code zstd --long}, {@code --no-check} or {@code --rsyncable}, {@code lz4 -BD} (linked
 * blocks) or {@code -l} (legacy frames), {@code pigz -11} (zopfli), {@code -z} or {@code -K},
 * an option we do not know.
 */
final class ToolFlags {

    private ToolFlags() {
    }

    static Optional<Codec> recognise(List<String> argv, Direction direction) {
        String program = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        Parsed p = switch (program) {
            case "zstd", "zstdmt", "unzstd", "zstdcat" -> zstd(program, args);
            case "lz4", "unlz4", "lz4cat" -> lz4(program, args);
            case "gzip", "gunzip", "zcat", "pigz", "unpigz" -> gzip(program, args);
            default -> null; // also any program named with a path: the tool itself runs
        };
        if (p == null || p.decompress != (direction == Direction.DECOMPRESS)) {
            return Optional.empty();
        }
        return Optional.of(p.codec);
    }

    private record Parsed(boolean decompress, Codec codec) {
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static Parsed zstd(String program, List<String> args) {
        boolean decompress = program.equals("unzstd") || program.equals("zstdcat");
        int level = Codec.Zstd.DEFAULT_LEVEL;
        boolean ultra = false;
        int workers = program.equals("zstdmt") ? 0 : 1;
        for (String a : args) {
            if (a.equals("-")) {
                continue; // stdin, as without an operand
            }
            if (a.startsWith("--")) {
                switch (a) {
                    case "--stdout", "--quiet", "--force", "--keep", "--verbose", "--no-progress", "--check" -> { }
                    case "--compress" -> decompress = false;
                    case "--decompress", "--uncompress" -> decompress = true;
                    case "--ultra" -> ultra = true;
                    case "--fast" -> level = -1;
                    default -> {
                        if (a.matches("--fast=[0-9]{1,6}")) {
                            level = -Math.max(1, Integer.parseInt(a.substring(7)));
                        } else if (a.matches("--threads=[0-9]{1,4}")) {
                            workers = Integer.parseInt(a.substring(10));
                        } else {
                            return null;
                        }
                    }
                }
                continue;
            }
            if (!a.startsWith("-") || a.length() < 2) {
                return null; // a file operand
            }
            for (int i = 1; i < a.length(); i++) {
                char c = a.charAt(i);
                if (Character.isDigit(c)) {
                    int end = digits(a, i);
                    level = Integer.parseInt(a.substring(i, end));
                    i = end - 1;
                } else if (c == 'T') {
                    int end = digits(a, i + 1);
                    if (end == i + 1) {
                        return null;
                    }
                    workers = Integer.parseInt(a.substring(i + 1, end));
                    i = end - 1;
                } else if (c == 'd') {
                    decompress = true;
                } else if (c == 'z') {
                    decompress = false;
                } else if ("cqfkv".indexOf(c) < 0) {
                    return null;
                }
            }
        }
        if (level == 0) {
            level = Codec.Zstd.DEFAULT_LEVEL; // zstd: 0 means the default
        }
        level = Math.min(level, ultra ? 22 : 19); // the tool caps the level the same way
        return new Parsed(decompress, new Codec.Zstd(level, workers == 0 ? cores() : workers));
    }

    private static Parsed lz4(String program, List<String> args) {
        boolean decompress = !program.equals("lz4");
        int level = Codec.Lz4.DEFAULT_LEVEL;
        int block = Codec.Lz4.DEFAULT_BLOCK;
        boolean contentChecksum = true;
        boolean blockChecksum = false;
        for (String a : args) {
            if (a.equals("-")) {
                continue;
            }
            if (a.startsWith("--")) {
                switch (a) {
                    case "--stdout", "--to-stdout", "--quiet", "--force", "--keep", "--verbose", "--sparse", "--no-sparse" -> { }
                    case "--compress" -> decompress = false;
                    case "--decompress", "--uncompress" -> decompress = true;
                    case "--no-frame-crc" -> contentChecksum = false;
                    case "--frame-crc" -> contentChecksum = true;
                    case "--best" -> level = 12;
                    case "--fast" -> level = 1;
                    default -> {
                        if (a.matches("--fast=[0-9]{1,6}")) {
                            level = 1; // acceleration is a speed choice: the frames are the same kind
                        } else {
                            return null;
                        }
                    }
                }
                continue;
            }
            if (!a.startsWith("-") || a.length() < 2) {
                return null;
            }
            for (int i = 1; i < a.length(); i++) {
                char c = a.charAt(i);
                if (Character.isDigit(c)) {
                    int end = digits(a, i);
                    level = Integer.parseInt(a.substring(i, end));
                    i = end - 1;
                } else if (c == 'B') {
                    if (i + 1 >= a.length()) {
                        return null;
                    }
                    char b = a.charAt(i + 1);
                    if (b >= '4' && b <= '7' && digits(a, i + 1) == i + 2) {
                        block = b - '0';
                    } else if (b == 'X') {
                        blockChecksum = true;
                    } else if (b != 'I') {
                        return null; // -BD linked blocks, or a block size in bytes
                    }
                    i++;
                } else if (c == 'd') {
                    decompress = true;
                } else if (c == 'z') {
                    decompress = false;
                } else if ("cqfkv".indexOf(c) < 0) {
                    return null;
                }
            }
        }
        level = Math.max(1, Math.min(level, 12));
        return new Parsed(decompress, new Codec.Lz4(level, block, contentChecksum, blockChecksum));
    }

    private static Parsed gzip(String program, List<String> args) {
        boolean pigz = program.equals("pigz") || program.equals("unpigz");
        boolean decompress = program.equals("gunzip") || program.equals("zcat") || program.equals("unpigz");
        int level = Codec.Gzip.DEFAULT_LEVEL;
        int threads = pigz ? cores() : 1;
        for (int w = 0; w < args.size(); w++) {
            String a = args.get(w);
            if (a.equals("-")) {
                continue;
            }
            if (a.startsWith("--")) {
                switch (a) {
                    case "--stdout", "--to-stdout", "--quiet", "--force", "--keep", "--verbose", "--no-name", "--name" -> { }
                    case "--decompress", "--uncompress" -> decompress = true;
                    case "--fast" -> level = 1;
                    case "--best" -> level = 9;
                    default -> {
                        if (pigz && (a.equals("--independent") || a.equals("--no-time"))) {
                            continue;
                        } else if (pigz && a.matches("--processes=[0-9]{1,4}")) {
                            threads = Integer.parseInt(a.substring(12));
                        } else if (pigz && a.matches("--blocksize=[0-9]{1,9}")) {
                            continue;
                        } else if (pigz && (a.equals("--processes") || a.equals("--blocksize")) && w + 1 < args.size()
                                && args.get(w + 1).matches("[0-9]{1,9}")) {
                            w++;
                            if (a.equals("--processes")) {
                                threads = Integer.parseInt(args.get(w));
                            }
                        } else {
                            return null;
                        }
                    }
                }
                continue;
            }
            if (!a.startsWith("-") || a.length() < 2) {
                return null;
            }
            for (int i = 1; i < a.length(); i++) {
                char c = a.charAt(i);
                if (Character.isDigit(c)) {
                    int end = digits(a, i);
                    level = Integer.parseInt(a.substring(i, end));
                    if (level > 9 || level == 0 && !pigz) {
                        return null; // pigz -11 is zopfli
                    }
                    i = end - 1;
                } else if (pigz && (c == 'p' || c == 'b')) {
                    String n;
                    int end = digits(a, i + 1);
                    if (end > i + 1) {
                        n = a.substring(i + 1, end);
                        i = end - 1;
                    } else if (i == a.length() - 1 && w + 1 < args.size() && args.get(w + 1).matches("[0-9]{1,9}")) {
                        n = args.get(++w);
                    } else {
                        return null;
                    }
                    if (c == 'p') {
                        threads = Integer.parseInt(n);
                    }
                } else if (c == 'd') {
                    decompress = true;
                } else if ("cqfkvnN".indexOf(c) < 0 && !(pigz && "iTmM".indexOf(c) >= 0)) {
                    return null;
                }
            }
        }
        return new Parsed(decompress, new Codec.Gzip(level, Math.max(1, threads)));
    }

    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && i - from < 6) {
            i++;
        }
        return i;
    }
}
