package org.sstorchestrator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.tls.NativeCrypto;

/**
 * Run by the build (cli/pom.xml): writes into {@code lib/} what the launchers need to start a
 * run's JVM as Java would have it, from the Java definitions, so that each decision is made in
 * one place and the launcher runs no JVM to learn it (its guess saves a second JVM's start,
 * 0.15-0.2 s on each node):
 * <ul>
 * <li>{@code jvm-flags.bash}, which the launchers and the Debian package's postinst source:
 * what a run needs ({@link Relaunch#needs}) for each encrypt and ssl-mode my.cnf may set, with
 * AWS-LC's library here or not, and the flags of each need as {@link Relaunch#command} gives
 * them to a C1 JVM; the flags of every JVM of ours, and the class archive's training run
 * ({@link CdsTraining});</li>
 * <li>{@code c2-for-crypto.json}, the compiler directives of a run on the JDK's crypto
 * ({@link Relaunch#C2_METHODS}).</li>
 * </ul>
 */
public final class LauncherFiles {

    static final String FLAGS = "jvm-flags.bash";
    /** The launchers' variable for the jar directory: the flags that name a file there name it through it. */
    static final Path LIB = Path.of("${LIB}");
    /** The encrypt values the launcher looks up, "" when my.cnf sets none; another value is refused at preflight. */
    static final List<String> ENCRYPT = List.of("", "0", "1", "2", "3", "4");
    /** ssl-mode values other than DISABLED: the launcher takes them alike, which {@link #needs} checks. */
    static final List<String> SSL_MODES = List.of("REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");

    private LauncherFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: LauncherFiles <lib directory>");
        }
        write(Path.of(args[0]));
    }

    /** Writes both files into {@code lib}. */
    static void write(Path lib) throws IOException {
        Files.createDirectories(lib);
        Files.writeString(lib.resolve(FLAGS), flagsFile(), StandardCharsets.UTF_8);
        Files.writeString(lib.resolve(Relaunch.DIRECTIVES), directives(), StandardCharsets.UTF_8);
    }

    /**
     * The launcher's key for what my.cnf asks of the stream and what the host has: encrypt's last
     * value ("" when unset), "on" when an ssl-mode but DISABLED is set, and 1 when AWS-LC's
     * library is here, e.g. {@code 4//1} or {@code /on/0}.
     */
    static String key(String encrypt, boolean sslMode, boolean awsLc) {
        return encrypt + "/" + (sslMode ? "on" : "") + "/" + (awsLc ? 1 : 0);
    }

    /** Every key the launcher may look up (another is a refused configuration: it starts as a plain run) and its need. */
    static Map<String, Relaunch.Need> needs() {
        Map<String, Relaunch.Need> table = new LinkedHashMap<>();
        for (String encrypt : ENCRYPT) {
            for (boolean ssl : new boolean[] {false, true}) {
                for (boolean awsLc : new boolean[] {false, true}) {
                    table.put(key(encrypt, ssl, awsLc), need(encrypt, ssl, awsLc));
                }
            }
        }
        return table;
    }

    /**
     * What Java decides for such a run, as if my.cnf also set the TLS files and the key it needs
     * (without them it is refused at preflight, whatever JVM it is in), the same for either role
     * and any ssl-mode but DISABLED, or the launcher could not guess it from these two options.
     */
    static Relaunch.Need need(String encrypt, boolean sslMode, boolean awsLc) {
        Map<Relaunch.Need, String> seen = new LinkedHashMap<>();
        for (Role role : List.of(Role.JOINER, Role.DONOR)) {
            for (String mode : sslMode ? SSL_MODES : List.of("", "DISABLED")) {
                Map<String, String> sst = new HashMap<>(Map.of("tca", "/etc/mysql/ca.pem", "tcert", "/etc/mysql/cert.pem",
                        "tkey", "/etc/mysql/key.pem"));
                if (!encrypt.isEmpty()) {
                    sst.put("encrypt", encrypt);
                }
                if (encrypt.equals("1")) {
                    sst.putAll(Map.of("encrypt-algo", "aes-256-cbc", "encrypt-key", "0123456789abcdef"));
                }
                if (!mode.isEmpty()) {
                    sst.put("ssl-mode", mode);
                }
                seen.putIfAbsent(Relaunch.needs(new OptionFiles(Map.of("sst", sst)), role, () -> awsLc), role + " " + sst);
            }
        }
        if (seen.size() != 1) {
            throw new IllegalStateException("the launcher cannot guess a run's JVM from encrypt and ssl-mode alone: "
                    + seen + "; make LauncherFiles give it what tells them apart");
        }
        return seen.keySet().iterator().next();
    }

    /** The flags a run of {@code need} starts with: what {@link Relaunch#command} gives a C1 JVM, so a guessed run starts as a relaunched one. */
    static List<String> flags(Relaunch.Need need) {
        return Relaunch.command("java", List.of(Relaunch.C1_ONLY), 0, Optional.of(LIB.resolve(Relaunch.DIRECTIVES)), need)
                .map(c -> c.subList(2, c.size())).orElse(List.of(Relaunch.C1_ONLY));
    }

    static String flagsFile() {
        StringBuilder b = new StringBuilder();
        b.append("# Generated by the build (cli LauncherFiles) from cli Relaunch and CdsTraining: do not edit.\n")
                .append("# Sourced by the launchers and the Debian package's postinst, with LIB set to this directory.\n")
                .append("#\n")
                .append("# What a run needs (Relaunch.Need) by what my.cnf sets and the host has: \"<encrypt>/<ssl>/<aws-lc>\",\n")
                .append("# encrypt's last value (\"\" when unset), ssl \"on\" for any ssl-mode but DISABLED, aws-lc 1 when\n")
                .append("# AWS-LC's library is in native/. Relaunch.needs answered each, as if the TLS files and key were set.\n")
                .append("declare -A SST_NEED=(\n");
        Map<String, Relaunch.Need> needs = needs();
        Map<String, List<String>> byConfiguration = needs.keySet().stream().collect(Collectors.groupingBy(
                k -> k.substring(0, k.lastIndexOf('/')), LinkedHashMap::new, Collectors.toList()));
        byConfiguration.values().forEach(keys -> b.append("   ").append(keys.stream()
                .map(k -> " [\"" + k + "\"]=" + needs.get(k)).collect(Collectors.joining())).append('\n'));
        b.append(")\n")
                .append("# The flags a run of each need starts with: those Relaunch gives a C1 JVM whose run needs more.\n");
        for (Relaunch.Need need : Relaunch.Need.values()) {
            b.append(array("SST_FLAGS_" + need, flags(need)));
        }
        b.append("# The file whose presence in native/<os>-<arch>/ says AWS-LC's crypto can be loaded (NativeCrypto).\n")
                .append("SST_NATIVE_CRYPTO=").append(word(NativeCrypto.LIBRARY)).append('\n')
                .append("# Every JVM of ours, and the class archive's training run (CdsTraining).\n")
                .append(array("SST_EVERY_JVM", CdsTraining.EVERY_JVM))
                .append(array("SST_CDS_TRAINING", CdsTraining.jvmFlags(LIB)));
        return b.toString();
    }

    private static String array(String name, List<String> words) {
        return name + "=(" + words.stream().map(LauncherFiles::word).collect(Collectors.joining(" ")) + ")\n";
    }

    /** {@code w} as one bash word: bare when nothing in it is special, else double-quoted with {@code ${LIB}} left to expand. */
    static String word(String w) {
        if (w.matches("[A-Za-z0-9_:=+,./@%-]+")) {
            return w;
        }
        String quoted = w.replace("\\", "\\\\").replace("\"", "\\\"").replace("`", "\\`").replace("$", "\\$");
        return "\"" + quoted.replace("\\" + LIB, LIB.toString()) + "\"";
    }

    /**
     * The compiler directives of a run on the JDK's crypto: C2 for {@link Relaunch#C2_METHODS}
     * and nothing else, static initializers not even there (they run once).
     */
    static String directives() {
        Function<String, String> quote = s -> "\"" + s + "\"";
        return "[\n"
                + "  // Generated by the build (cli LauncherFiles) from cli Relaunch.C2_METHODS, which says why: do not edit.\n"
                + "  {\n    match: [\"*.<clinit>\"],\n    c2: { Exclude: true }\n  },\n"
                + "  {\n    match: [" + Relaunch.C2_METHODS.stream().map(quote).collect(Collectors.joining(", ")) + "],\n"
                + "    c2: { Exclude: false }\n  },\n"
                + "  {\n    match: \"*.*\",\n    c2: { Exclude: true }\n  }\n"
                + "]\n";
    }
}
