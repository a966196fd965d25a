package org.sstorchestrator.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bin/sst-bench's command line. The old positional form ({@code [megabytes] [rounds]}) is
 * gone: it could say one size only; a bare number is refused with the new spelling.
 */
record BenchOptions(List<Size> sizes, int rounds, List<String> methods, List<BenchProfile> profiles, Path json,
                    Optional<Path> baseline) {

    static final String STOCK = "mariabackup";
    static final String OURS = "mariabackup_sm";
    static final List<String> KNOWN = List.of(STOCK, NoSleepScript.METHOD, OURS);
    /** Another build of ours (--baseline DIR), run beside this one to compare two commits in one run. */
    static final String BASE = BaselineMethod.METHOD;

    static final String USAGE = "usage: bin/sst-bench [--sizes 100M,1G,3G] [--rounds 3]"
            + " [--methods " + String.join(",", KNOWN) + "] [--profiles plain] [--json FILE] [--baseline DIR]\n"
            + "--baseline DIR: DIR is another build of ours (a checkout with bin/ and lib/ built); its launcher runs as\n"
            + "  method " + BASE + " beside ours, in the same rounds, and ours/base compares the two\n"
            + "profiles (each one's [sst] lines go to every node of its rounds, for every method):\n"
            + String.join("\n", java.util.Arrays.stream(BenchProfile.values())
                    .map(p -> String.format("  %-9s %s", p.label(), p.about())).toList());

    /** A data size as given ("1G") and in MB; the donor's sbtest/t.ibd is grown to it. */
    record Size(String label, long megabytes) {
        private static final Pattern SIZE = Pattern.compile("(\\d+)([MG])");

        static Size parse(String s) {
            Matcher m = SIZE.matcher(s.trim().toUpperCase());
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new IllegalArgumentException("size '" + s + "' is not a number of MB or GB above 0, like 100M or 3G");
            }
            long n = Long.parseLong(m.group(1));
            return new Size(m.group(1) + m.group(2), m.group(2).equals("G") ? n * 1024 : n);
        }
    }

    static BenchOptions parse(String[] args, Path defaultJson) {
        List<Size> sizes = parseSizes("100M,1G,3G");
        int rounds = 3;
        List<String> methods = KNOWN;
        List<BenchProfile> profiles = List.of(BenchProfile.PLAIN);
        Path json = defaultJson;
        Optional<Path> baseline = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("'" + a + "': the positional form [megabytes] [rounds] was dropped;"
                        + " say --sizes " + a + "M instead\n" + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--sizes" -> sizes = parseSizes(v);
                case "--rounds" -> rounds = parseRounds(v);
                case "--methods" -> methods = parseMethods(v);
                case "--profiles" -> profiles = parseProfiles(v);
                case "--json" -> json = Path.of(v);
                case "--baseline" -> baseline = Optional.of(BaselineMethod.checkout(v));
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (baseline.isPresent() && !methods.contains(BASE)) {
            methods = new ArrayList<>(methods);
            methods.add(BASE);
            methods = List.copyOf(methods);
        }
        return new BenchOptions(sizes, rounds, methods, profiles, json.toAbsolutePath().normalize(), baseline);
    }

    /** Smallest first: one donor is grown from size to size, never shrunk. */
    private static List<Size> parseSizes(String v) {
        List<Size> out = new ArrayList<>();
        for (String s : v.split(",")) {
            out.add(Size.parse(s));
        }
        out.sort(Comparator.comparingLong(Size::megabytes));
        return List.copyOf(out);
    }

    private static int parseRounds(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("--rounds '" + v + "' must be a whole number of at least 1");
    }

    private static List<String> parseMethods(String v) {
        List<String> out = new ArrayList<>();
        for (String m : v.split(",")) {
            if (!KNOWN.contains(m.trim())) {
                throw new IllegalArgumentException("--methods: '" + m + "' is not one of " + KNOWN);
            }
            out.add(m.trim());
        }
        return List.copyOf(out);
    }

    /** In the order given: the first one's first SST of ours gives the start-up timeline. */
    private static List<BenchProfile> parseProfiles(String v) {
        List<BenchProfile> out = new ArrayList<>();
        for (String p : v.split(",")) {
            BenchProfile profile = BenchProfile.named(p.trim());
            if (out.contains(profile)) {
                throw new IllegalArgumentException("--profiles: '" + p.trim() + "' is given twice");
            }
            out.add(profile);
        }
        return List.copyOf(out);
    }
}
