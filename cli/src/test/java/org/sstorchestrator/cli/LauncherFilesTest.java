package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.tls.NativeCrypto;

/**
 * The files the build writes into lib/ for the launchers (lib/jvm-flags.bash, lib/c2-for-crypto.json)
 * say what the Java definitions say, and the launcher starts each run as they say.
 */
class LauncherFilesTest {


    /** What bash makes of the generated file, sourced as the launcher sources it: each variable, one word a line. */
    private static Map<String, List<String>> sourced(Path lib) throws Exception {
        String dump = "LIB=\"$1\"; . \"$LIB/jvm-flags.bash\" || exit 1\n"
                + "for k in \"${!SST_NEED[@]}\"; do printf 'SST_NEED[%s] %s\\n' \"$k\" \"${SST_NEED[$k]}\"; done\n"
                + "for v in SST_FLAGS_NONE SST_FLAGS_CAPPED_C1 SST_FLAGS_C2 SST_NATIVE_CRYPTO SST_EVERY_JVM SST_CDS_TRAINING; do\n"
                + "  a=\"$v[@]\"; for w in \"${!a}\"; do printf '%s %s\\n' \"$v\" \"$w\"; done\ndone\n";
        Process p = new ProcessBuilder("bash", "-c", dump, "dump", lib.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor());
        Map<String, List<String>> vars = new TreeMap<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            vars.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>()).add(line.substring(space + 1));
        }
        return vars;
    }

    @Test
    void theFlagsFileGivesEachNeedTheFlagsRelaunchGivesAC1JvmOfThatNeed(@TempDir Path tmp) throws Exception {
        Path lib = tmp.resolve("lib with a space");
        LauncherFiles.write(lib);
        Map<String, List<String>> vars = sourced(lib);
        Optional<Path> directives = Optional.of(lib.resolve(Relaunch.DIRECTIVES));
        assertEquals(List.of(Relaunch.C1_ONLY), vars.get("SST_FLAGS_NONE"));
        for (Relaunch.Need need : List.of(Relaunch.Need.CAPPED_C1, Relaunch.Need.C2)) {
            List<String> relaunched = Relaunch.command("java", List.of(Relaunch.C1_ONLY), 1, directives, need).orElseThrow();
            assertEquals(relaunched.subList(2, relaunched.size()), vars.get("SST_FLAGS_" + need), need.toString());
        }
        assertEquals(List.of(NativeCrypto.LIBRARY), vars.get("SST_NATIVE_CRYPTO"));
        assertEquals(CdsTraining.EVERY_JVM, vars.get("SST_EVERY_JVM"));
        assertEquals(CdsTraining.jvmFlags(lib), vars.get("SST_CDS_TRAINING"));
    }

    /** The table holds Relaunch's answer for every encrypt (unset, 0-4) and ssl-mode, with AWS-LC's library here or not. */
    @Test
    void theFlagsFileSaysWhatRelaunchDecidesForEachEncryptAndSslMode(@TempDir Path tmp) throws Exception {
        LauncherFiles.write(tmp);
        Map<String, List<String>> vars = sourced(tmp);
        int rows = 0;
        for (String encrypt : List.of("", "0", "1", "2", "3", "4")) {
            for (String mode : List.of("", "DISABLED", "REQUIRED", "VERIFY_IDENTITY")) {
                for (boolean aws : new boolean[] {false, true}) {
                    java.util.HashMap<String, String> sst = new java.util.HashMap<>(Map.of("tca", "/ca.pem", "tcert",
                            "/cert.pem", "tkey", "/key.pem", "encrypt-key", "0123456789abcdef", "encrypt-algo", "aes-128-cbc"));
                    if (!encrypt.isEmpty()) {
                        sst.put("encrypt", encrypt);
                    }
                    if (!mode.isEmpty()) {
                        sst.put("ssl-mode", mode);
                    }
                    Relaunch.Need java = Relaunch.needs(new OptionFiles(Map.of("sst", sst)), Role.JOINER, () -> aws);
                    String key = encrypt + "/" + (mode.isEmpty() || mode.equals("DISABLED") ? "" : "on") + "/" + (aws ? 1 : 0);
                    assertEquals(List.of(java.toString()), vars.get("SST_NEED[" + key + "]"), sst + ", AWS-LC " + aws);
                    rows++;
                }
            }
        }
        assertEquals(rows / 2, vars.keySet().stream().filter(k -> k.startsWith("SST_NEED[")).count());
        // and, read as the spec: encrypt=1 always C2, TLS C2 only without AWS-LC
        assertEquals(List.of("C2"), vars.get("SST_NEED[1//1]"));
        assertEquals(List.of("CAPPED_C1"), vars.get("SST_NEED[4//1]"));
        assertEquals(List.of("C2"), vars.get("SST_NEED[4//0]"));
        assertEquals(List.of("NONE"), vars.get("SST_NEED[//1]"));
    }

    /**
     * The launcher, run for real with a java and a my_print_defaults that only print, starts every
     * run the table names with its need's flags, AWS-LC's library on java.library.path when it is
     * there, and an encrypt the table does not know (refused at preflight) as a plain run.
     */
    @Test
    void theLauncherStartsEachRunWithTheFlagsTheFileGivesItsNeed(@TempDir Path tmp) throws Exception {
        LauncherSandbox sandbox = LauncherSandbox.in(tmp);
        Path lib = sandbox.lib;
        Map<String, List<String>> vars = sourced(lib);
        for (boolean aws : new boolean[] {false, true}) {
            sandbox.awsLc(aws);
            List<String> libPath = aws ? List.of("-Djava.library.path=" + sandbox.nativeDir) : List.of();
            for (String encrypt : List.of("", "0", "1", "2", "3", "4", "7")) {
                for (String mode : List.of("", "--ssl-mode=DISABLED", "--loose-ssl_mode=verify_ca")) {
                    String cnf = (encrypt.isEmpty() ? "" : "--encrypt=" + encrypt + " ") + mode;
                    String key = encrypt + "/" + (mode.contains("verify") ? "on" : "") + "/" + (aws ? 1 : 0);
                    String need = vars.getOrDefault("SST_NEED[" + key + "]", List.of("NONE")).get(0);
                    List<String> expected = new ArrayList<>(vars.get("SST_FLAGS_" + need));
                    expected.addAll(libPath);
                    expected.addAll(CdsTraining.EVERY_JVM);
                    List<String> flags = sandbox.launch(cnf);
                    int from = flags.indexOf("-Dsst.history.template=" + lib.resolve("history-template.mv.db")) + 1;
                    assertEquals(expected, flags.subList(from, flags.indexOf("-Xshare:auto")), cnf + ", AWS-LC " + aws);
                }
            }
        }
    }

    /** The directives let C2 compile Relaunch.C2_METHODS, no more, and directiveFlags scales those methods' classes. */
    @Test
    void theDirectivesFileGivesC2TheMethodsRelaunchNames(@TempDir Path tmp) throws Exception {
        LauncherFiles.write(tmp);
        String json = Files.readString(tmp.resolve(Relaunch.DIRECTIVES));
        String allowed = json.substring(json.indexOf("Exclude: true"), json.indexOf("Exclude: false"));
        List<String> named = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(allowed);
        while (m.find()) {
            named.add(m.group(1));
        }
        assertEquals(Relaunch.C2_METHODS, named);
        List<String> scaled = Relaunch.directiveFlags(Path.of("/d.json")).stream()
                .filter(f -> f.startsWith("-XX:CompileCommand=CompileThresholdScaling,"))
                .map(f -> f.substring(f.indexOf(',') + 1, f.lastIndexOf(".*,"))).toList();
        assertEquals(List.of("GHASH", "CounterMode", "GCTR", "AESCrypt", "CipherBlockChaining", "ElectronicCodeBook"),
                scaled.stream().map(c -> c.substring("com/sun/crypto/provider/".length())).toList());
    }


}
