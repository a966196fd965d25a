package org.sstorchestrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sstorchestrator.cli.run.ProcCommandLine;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.Encrypt;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.SstConfig;
import org.sstorchestrator.states.tls.NativeCrypto;

/**
 * The launcher starts the SST's JVM with C1 alone: measured here, it prints {@code ready} in
 * 0.31 s (median of 7) against 0.41-0.47 s with C2, on both nodes of every SST, and a plain
 * stream runs as fast either way (in-process extraction 0.29 s/GB with each). The JDK's crypto
 * does not: under C1 alone TLS ran at 0.03 GB/s and AES at 0.1, against 0.83 and 0.44-1.1 with
 * C2. TLS runs on AWS-LC's native crypto where the build ships it ({@link NativeCrypto}), and
 * needs no C2 then; encrypt=1 (the JDK's AES), and TLS without AWS-LC, do. Such a run, when
 * the launcher did not guess it, hands itself, before it opens its history or reads stdin, to
 * a JVM with C2: the same command and arguments without the C1 limit, our stdin, stdout and
 * stderr, a SIGTERM passed on, its exit code ours.
 *
 * <p>Only the stream's crypto needs C2 (its AES and GHASH intrinsics exist there alone): the
 * second JVM is given {@code lib/c2-for-crypto.json}, compiler directives that keep C2 to the
 * JDK's AES/GCM code, so it does not spend a core compiling H2, Spring and our own
 * code a second time while mariadb-backup and mysqld want it (measured, 100 MB with encrypt=4 on
 * both nodes: 0.4-0.5 s less CPU on the joiner, 4.0-4.2 s to Synced against 4.2-4.5), nor
 * compiling code a handshake runs once (see {@link #C2_METHODS}). The JVM
 * announces directives on stdout, which is mysqld's: VM output is switched off there too.
 */
final class Relaunch {

    private static final Logger LOG = LoggerFactory.getLogger(Relaunch.class);
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    /** Set on the second JVM to the first one's pid: it aborts if that one is killed outright. */
    static final String FROM = "sst.relaunched.from";
    static final String DIRECTIVES = "c2-for-crypto.json";

    private Relaunch() {
    }

    /** What a run's JVM needs beyond the launcher's C1-only default. */
    enum Need {
        /** a plain run */
        NONE,
        /** TLS on AWS-LC: C1 is enough, but its garbage wants the young generation capped */
        CAPPED_C1,
        /** the JDK's crypto (encrypt=1, or TLS without AWS-LC): C2, capped too */
        C2
    }

    /**
     * What this run's settings need: C2 for encrypt=1, or for TLS (encrypt 2-4 or an
     * ssl-mode) when {@code nativeTls} says AWS-LC cannot do its crypto here
     * ({@link NativeCrypto#install}); a capped young generation for TLS on AWS-LC.
     */
    static Need needs(OptionFiles cnf, Role role, BooleanSupplier nativeTls) {
        try {
            SstConfig c = SstConfig.from(cnf, role);
            if (c.tls().encrypt() == Encrypt.OPENSSL_ENC) {
                return Need.C2;
            }
            return !c.tls().tls() ? Need.NONE : nativeTls.getAsBoolean() ? Need.CAPPED_C1 : Need.C2;
        } catch (SstException refused) {
            return Need.NONE; // the run refuses it at preflight, where the refusal is recorded
        }
    }

    /**
     * The second JVM's command line, for a run that needs more than this JVM has (the
     * launcher did not guess it): {@code command} (this JVM's java and arguments) marked with
     * our pid, for C2 without the C1 limit and with {@code directives}, in either case with the
     * young generation's cap; empty when this JVM already has what the run needs.
     */
    static Optional<List<String>> command(String java, List<String> arguments, long pid, Optional<Path> directives,
                                          Need need) {
        boolean c2 = need == Need.C2 && arguments.contains(C1_ONLY);
        if (!c2 && !(need == Need.CAPPED_C1 && !arguments.contains(YOUNG))) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        out.add(java);
        out.add("-D" + FROM + "=" + pid);
        if (c2) {
            directives.ifPresent(d -> out.addAll(directiveFlags(d)));
        }
        if (!arguments.contains(YOUNG)) {
            out.add(YOUNG);
        }
        arguments.stream().filter(a -> !(c2 && a.equals(C1_ONLY))).forEach(out::add);
        return Optional.of(out);
    }

    /**
     * The flags that give a JVM {@code file}'s compiler directives without a word on stdout,
     * and have the classes they give C2 compiled after a hundredth of the usual calls: a stream
     * starts the moment the JVM does, and at 100 MB with encrypt=4 it ran 1.1 s before its code
     * was hot, 0.7-0.8 s so (3.4-3.6 s to Synced against 3.8-4.0). Only those classes: scaled
     * thresholds on the whole TLS package and provider had C1 compile handshake code that runs
     * a few times. The launcher starts an encrypt=1 run (or TLS without AWS-LC) with the same
     * flags: the build writes them for it from {@link #command} ({@link LauncherFiles}).
     */
    static List<String> directiveFlags(Path file) {
        List<String> flags = new ArrayList<>(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput",
                "-XX:CompilerDirectivesFile=" + file, "-XX:CompileCommand=quiet"));
        for (String c : C2_CLASSES) {
            flags.add("-XX:CompileCommand=CompileThresholdScaling," + c + ".*,0.01");
        }
        return List.copyOf(flags);
    }

    /**
     * A crypto run's young generation, 48 MB at most (a plain run keeps the JVM's own: capped, it
     * collected and touched 5 MB more, 95-96 MB peak RSS against 100-101 in alternated rounds). JSSE makes a GCM engine and its buffers for every
     * 16 KB record, 90-100 MB of garbage a GB on each node, and by default the young generation
     * is a third of 1/64 of the host's memory: eden fills all of it before the first collection,
     * so the run's memory grew with the host's (24 GiB here: 195 MB at 1 GB with encrypt=4, where
     * a plain run stays at 90; on a 128 GiB host it would pass 500 MB). Fresh pages are dear
     * besides: on this VM, whose freed memory goes back to the host, 1 GB of encrypt=4 took
     * 4.4-4.8 s to Synced with this against 4.8-5.2 without (alternated rounds), 100 MB the same
     * within the noise. 48 MB holds a run's start-up garbage to one collection (about 10 ms).
     * A cap, not a size (-Xmn): on a small host, whose initial heap (1/64 of its memory) is
     * under 48 MB, the JVM keeps its own smaller young generation and room for the old one.
     */
    static final String YOUNG = "-XX:MaxNewSize=48m";

    /**
     * The methods lib/c2-for-crypto.json lets C2 compile (the build writes the file from this
     * list, {@link LauncherFiles}). The JDK's AES, GHASH and CTR intrinsics exist in C2 alone, and
     * apply where a C2-compiled method calls the intrinsic one: so C2 compiles those callers
     * (GHASH, CounterMode and GCTR, AESCrypt's block methods, CBC and ECB) and nothing else.
     * Everything else stays in C1, as a plain run is: GCM's per-record bookkeeping and the TLS
     * record layer (tens of C2 compiles, 0.3-0.6 s of a compiler thread per JVM, for
     * microseconds per 16 KB record), static initializers (an OSR compile of AESCrypt's cost
     * 50-140 ms), the handshake's BigInteger, SHA, EC and HMAC. A run lives for one SST, so C2
     * time is paid on its critical path. With only the intrinsic methods themselves allowed,
     * 1 GB of TLS took 10 s instead of 1.
     */
    static final List<String> C2_METHODS = List.of("com/sun/crypto/provider/GHASH.*",
            "com/sun/crypto/provider/CounterMode.*", "com/sun/crypto/provider/GCTR.*",
            "com/sun/crypto/provider/AESCrypt.encryptBlock", "com/sun/crypto/provider/AESCrypt.decryptBlock",
            "com/sun/crypto/provider/AESCrypt.implEncryptBlock", "com/sun/crypto/provider/AESCrypt.implDecryptBlock",
            "com/sun/crypto/provider/CipherBlockChaining.*", "com/sun/crypto/provider/ElectronicCodeBook.*");

    /** The classes of {@link #C2_METHODS}, in its order: the callers of the AES, GHASH and CTR intrinsics. */
    static final List<String> C2_CLASSES = C2_METHODS.stream().map(m -> m.substring(0, m.lastIndexOf('.'))).distinct()
            .toList();

    /** lib/c2-for-crypto.json beside our jar, when the build put it there. */
    static Optional<Path> directivesBesideOurJar() {
        try {
            Path jar = Path.of(Relaunch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path file = jar.resolveSibling(DIRECTIVES);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** This JVM's compilers as its command line set them (the launcher's or a relaunch's choice), for the record. */
    static String compilers() {
        List<String> args = ProcCommandLine.self().orElse(List.of());
        if (args.contains(C1_ONLY)) {
            return "C1";
        }
        return args.stream().anyMatch(a -> a.startsWith("-XX:CompilerDirectivesFile=")) ? "C1, and C2 for the JDK's crypto"
                : "C1 and C2";
    }

    /** This JVM's own command line, as the kernel has it, made into what the run needs. */
    static Optional<List<String>> thisCommand(Need need) {
        if (need == Need.NONE) { // a plain run, most runs: no need to read our command line
            return Optional.empty();
        }
        // the arguments from /proc/self/cmdline whole: ProcessHandle's cut at 4 KB (issue 18)
        Optional<String> java = ProcessHandle.current().info().command();
        Optional<List<String>> argv = ProcCommandLine.self();
        if (java.isEmpty() || argv.isEmpty() || argv.get().size() < 2) {
            return Optional.empty();
        }
        return command(java.get(), argv.get().subList(1, argv.get().size()), ProcessHandle.current().pid(),
                directivesBesideOurJar(), need);
    }

    /**
     * Runs {@code command} in our place and returns its exit code; empty when it could not
     * start (the run then goes on here, slower but the same).
     */
    static Optional<Integer> run(List<String> command) {
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (java.io.IOException e) {
            LOG.warn("could not start a JVM with C2 for the JDK's crypto ({}); this run goes on with C1 alone, slower",
                    e.getMessage());
            return Optional.empty();
        }
        // mysqld stops an SST with SIGTERM to the pid it started: ours. The second JVM gets it too,
        // runs its abort stage and ends with 3; we end with its code.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    if (child.waitFor(30, TimeUnit.SECONDS)) {
                        Runtime.getRuntime().halt(child.exitValue());
                    }
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "relaunch-signal"));
        while (true) {
            try {
                return Optional.of(child.waitFor());
            } catch (InterruptedException ignored) {
                // nothing here interrupts on purpose: the child's end is what we wait for
            }
        }
    }
}
