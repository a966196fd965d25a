package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.config.OptionFiles;

class RelaunchTest {

    private static OptionFiles sst(Map<String, String> options) {
        return new OptionFiles(Map.of("sst", options));
    }

    @Test
    void encrypt1AndTlsWithoutNativeCryptoNeedC2TlsOnAwsLcACapAndARefusedConfigurationStaysForPreflight() {
        for (boolean nativeTls : new boolean[] {false, true}) {
            java.util.function.BooleanSupplier n = () -> nativeTls;
            assertEquals(Relaunch.Need.NONE, Relaunch.needs(sst(Map.of()), Role.JOINER, n));
            assertEquals(Relaunch.Need.NONE, Relaunch.needs(sst(Map.of("compressor", "zstd")), Role.DONOR, n));
            assertEquals(Relaunch.Need.C2, Relaunch.needs(sst(Map.of("encrypt", "1", "encrypt-algo", "aes-256-cbc",
                    "encrypt-key", "0123456789abcdef")), Role.DONOR, n));
            assertEquals(Relaunch.Need.NONE, Relaunch.needs(sst(Map.of("encrypt", "banana")), Role.JOINER, n),
                    "refused at preflight, here");
        }
        OptionFiles tls = sst(Map.of("ssl-mode", "REQUIRED", "tca", "/etc/ca.pem", "tcert", "/etc/c.pem", "tkey",
                "/etc/k.pem"));
        assertEquals(Relaunch.Need.C2, Relaunch.needs(tls, Role.JOINER, () -> false), "the JDK's AES and GHASH want C2");
        assertEquals(Relaunch.Need.CAPPED_C1, Relaunch.needs(tls, Role.JOINER, () -> true), "AWS-LC's are native");
        assertEquals(Relaunch.Need.NONE, Relaunch.needs(sst(Map.of()), Role.JOINER, () -> {
            throw new AssertionError("a run without TLS does not load AWS-LC");
        }));
    }

    @Test
    void theSecondJvmGetsTheCompilerDirectivesRightAfterItsMark() {
        Path file = Path.of("/opt/lib/c2-for-crypto.json");
        List<String> c = Relaunch.command("/usr/bin/java", List.of("-XX:TieredStopAtLevel=1", "-cp", "x", "Main"), 7,
                Optional.of(file), Relaunch.Need.C2).orElseThrow();
        assertEquals(List.of("/usr/bin/java", "-Dsst.relaunched.from=7"), c.subList(0, 2));
        assertEquals(Relaunch.directiveFlags(file), c.subList(2, c.size() - 4));
        assertEquals(Relaunch.YOUNG, c.get(c.size() - 4));
        assertEquals(List.of("-cp", "x", "Main"), c.subList(c.size() - 3, c.size()));
        assertTrue(Relaunch.directiveFlags(file).contains("-XX:CompilerDirectivesFile=/opt/lib/c2-for-crypto.json"));
    }

    /**
     * The launcher's guess, run for real with a java and a my_print_defaults that only print:
     * TLS starts C1-only with AWS-LC's library on java.library.path when the build put it
     * there, and with C2 for the JDK's crypto when not; encrypt=1 always with C2; every crypto
     * run with its young generation capped, a plain run as before.
     */
    @Test
    void theLauncherStartsTlsWithC1WhenAwsLcIsThereAndWithC2WhenNot(@TempDir Path tmp) throws Exception {
        LauncherSandbox sandbox = LauncherSandbox.in(tmp);
        Path nativeDir = sandbox.nativeDir;
        for (boolean aws : new boolean[] {true, false}) {
            sandbox.awsLc(aws);
            String libPath = "-Djava.library.path=" + nativeDir;
            for (String tls : List.of("--encrypt=4", "--loose-ssl_mode=VERIFY_CA")) {
                List<String> flags = sandbox.launch(tls);
                assertEquals(aws, flags.contains(Relaunch.C1_ONLY), tls + ": " + flags);
                assertEquals(aws, flags.contains(libPath), tls + ": " + flags);
                assertEquals(!aws, flags.stream().anyMatch(f -> f.startsWith("-XX:CompilerDirectivesFile=")), tls + ": " + flags);
            }
            List<String> e1 = sandbox.launch("--encrypt=1");
            assertTrue(e1.stream().anyMatch(f -> f.startsWith("-XX:CompilerDirectivesFile=")) && !e1.contains(Relaunch.C1_ONLY),
                    "encrypt=1: " + e1);
            for (String plain : List.of("", "--ssl-mode=DISABLED", "--encrypt=0", "--encrypt=1 --encrypt=0")) {
                List<String> flags = sandbox.launch(plain);
                assertTrue(flags.contains(Relaunch.C1_ONLY), plain + ": " + flags);
            }
            // my_print_defaults lists every group's value: the last one counts
            assertEquals(aws, sandbox.launch("--encrypt=1 --encrypt=4").contains(Relaunch.C1_ONLY));
            for (String any : List.of("", "--encrypt=4", "--encrypt=1", "--encrypt=0", "--ssl-mode=REQUIRED")) {
                assertEquals(any.matches(".*(=[1-4]|REQUIRED)"), sandbox.launch(any).contains(Relaunch.YOUNG), any);
            }
        }
    }

    /** lib/c2-for-crypto.json as the build writes it. */
    private static Path shippedDirectives(Path tmp) throws Exception {
        LauncherFiles.write(tmp.resolve("lib"));
        return tmp.resolve("lib").resolve(Relaunch.DIRECTIVES);
    }



    /**
     * A TLS run allocates for every record (JSSE makes a GCM engine and buffers for each 16 KB),
     * and the JVM sizes its young generation from the host's memory: without a fixed one, a
     * crypto run's memory grew with the host's. Here a host of 128 GiB, and the garbage of
     * 512 MB of AES/GCM records: the run's JVM stays under the 256 MB every SST process is held to.
     */
    @Test
    void aCryptoRunsMemoryDoesNotGrowWithTheHostsMemory(@TempDir Path tmp) throws Exception {
        Path file = shippedDirectives(tmp);
        List<String> cmd = Relaunch.command(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                List.of(Relaunch.C1_ONLY, "-XX:+UseSerialGC", "-XX:MaxRAM=128g", "-cp", System.getProperty("java.class.path"),
                        RecordGarbage.class.getName()), ProcessHandle.current().pid(), Optional.of(file), Relaunch.Need.C2).orElseThrow();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        long peakKb = Long.parseLong(out);
        assertTrue(peakKb < 256 * 1024, "peak RSS " + peakKb / 1024 + " MB");
    }

    /** The test above's JVM: 512 MB through AES/GCM, 16 KB a record with a fresh IV, as a TLS stream's; prints VmHWM in kB. */
    public static final class RecordGarbage {
        public static void main(String[] args) throws Exception {
            CryptoWork.records(32768);
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    System.out.println(line.replaceAll("\\D", ""));
                }
            }
        }
    }

    /**
     * The shipped directives parse (a file the JVM refuses stops it before main: every TLS SST
     * would fail), and the JVM says nothing on stdout about them: without -DisplayVMOutput it
     * prints "2 compiler directives added" there, and mysqld took that for the ready line.
     */
    @Test
    void aJvmStartsWithTheShippedDirectivesAndWritesNothingOnStdout(@TempDir Path tmp) throws Exception {
        Path file = shippedDirectives(tmp);
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Relaunch.directiveFlags(file));
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "the JVM refused " + file);
        assertEquals("", stdout);
    }

    /**
     * What the shipped directives let C2 compile in a JVM that signs with RSA and encrypts a
     * stream with AES/GCM, as a TLS run does: the callers of the AES, GHASH and CTR intrinsics,
     * and neither a static initializer, BigInteger nor GCM's per-record bookkeeping (C2 time
     * there is start-up time of every TLS SST, for code that runs once or once a record).
     */
    @Test
    void theShippedDirectivesGiveC2TheStreamsCipherAndNotTheHandshakesArithmeticNorInitializers(
            @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path file = shippedDirectives(tmp);
        Path log = tmp.resolve("compilation.log");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Relaunch.directiveFlags(file));
        cmd.addAll(List.of("-XX:+LogCompilation", "-XX:LogFile=" + log, "-cp", System.getProperty("java.class.path"),
                CryptoWork.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> c2 = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<nmethod [^>]*?level='4'[^>]*?method='([^' ]+ [^' ]+)")
                .matcher(java.nio.file.Files.readString(log));
        while (m.find()) {
            c2.add(m.group(1).replace('/', '.'));
        }
        assertTrue(c2.stream().anyMatch(x -> x.startsWith("com.sun.crypto.provider.GHASH ")
                || x.startsWith("com.sun.crypto.provider.GCTR ")), "the stream's GCM gets C2: " + c2);
        assertEquals(List.of(), c2.stream().filter(x -> x.contains("<clinit>") || x.contains("&lt;clinit&gt;")
                || x.startsWith("java.math.") || x.startsWith("com.sun.crypto.provider.AESCrypt makeSessionKey")
                || x.startsWith("com.sun.crypto.provider.GaloisCounterMode")).toList());
    }

    /** The test above's JVM: a few RSA signatures (a handshake's and preflight's), then 16 MB of AES/GCM records. */
    public static final class CryptoWork {
        public static void main(String[] args) throws Exception {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            java.security.KeyPair pair = g.generateKeyPair();
            for (int i = 0; i < 20; i++) {
                java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
                s.initSign(pair.getPrivate());
                s.update(new byte[32]);
                s.sign();
            }
            records(1024);
        }

        /** {@code n} records of 16 KB through AES/GCM, each with a fresh IV, as a TLS stream encrypts them. */
        static void records(int n) throws java.security.GeneralSecurityException {
            javax.crypto.SecretKey key = new javax.crypto.spec.SecretKeySpec(new byte[32], "AES");
            byte[] record = new byte[16384];
            byte[] iv = new byte[12];
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            for (int i = 0; i < n; i++) {
                iv[0] = (byte) i;
                iv[1] = (byte) (i >> 8);
                c.init(javax.crypto.Cipher.ENCRYPT_MODE, key, new javax.crypto.spec.GCMParameterSpec(128, iv));
                c.doFinal(record);
            }
        }
    }

    @Test
    void theSecondJvmRunsTheSameCommandWithoutTheC1LimitMarkedWithTheFirstsPid() {
        List<String> args = List.of("-Dsst.launched.us=1796000000000000", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", "/opt/lib/*", "org.sstorchestrator.cli.WsrepSstMain", "--role", "joiner", "--address", "h:1");
        assertEquals(Optional.of(List.of("/usr/bin/java", "-Dsst.relaunched.from=42", "-XX:MaxNewSize=48m", "-Dsst.launched.us=1796000000000000",
                "-XX:+UseSerialGC", "-cp", "/opt/lib/*", "org.sstorchestrator.cli.WsrepSstMain", "--role", "joiner",
                "--address", "h:1")), Relaunch.command("/usr/bin/java", args, 42, Optional.empty(), Relaunch.Need.C2));
        assertEquals(Optional.empty(), Relaunch.command("/usr/bin/java",
                List.of("-XX:+UseSerialGC", "org.sstorchestrator.cli.WsrepSstMain"), 42, Optional.empty(), Relaunch.Need.C2),
                "already has C2: never again");
        assertEquals(Optional.empty(), Relaunch.command("/usr/bin/java", args, 42, Optional.empty(), Relaunch.Need.NONE));
    }

    /** TLS on AWS-LC the launcher did not guess: C1 is enough, and the JVM is started again only for the cap. */
    @Test
    void anUnguessedTlsRunOnAwsLcKeepsC1AndGetsOnlyTheCap() {
        List<String> args = List.of("-XX:TieredStopAtLevel=1", "-cp", "/opt/lib/*", "org.sstorchestrator.cli.WsrepSstMain");
        assertEquals(Optional.of(List.of("/usr/bin/java", "-Dsst.relaunched.from=42", Relaunch.YOUNG,
                "-XX:TieredStopAtLevel=1", "-cp", "/opt/lib/*", "org.sstorchestrator.cli.WsrepSstMain")),
                Relaunch.command("/usr/bin/java", args, 42, Optional.of(Path.of("/opt/lib/c2-for-crypto.json")),
                        Relaunch.Need.CAPPED_C1));
        List<String> capped = new java.util.ArrayList<>(args);
        capped.add(0, Relaunch.YOUNG);
        assertEquals(Optional.empty(), Relaunch.command("/usr/bin/java", capped, 42, Optional.empty(),
                Relaunch.Need.CAPPED_C1), "the launcher saw it: no second JVM");
    }
}
