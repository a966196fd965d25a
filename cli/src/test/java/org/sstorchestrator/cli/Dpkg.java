package org.sstorchestrator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This machine's package manager as {@link DebianPackageIT} drives it: apt-get, dpkg,
 * dpkg-divert and lintian, by argv, never a shell, non-interactive, each bounded in time.
 */
final class Dpkg {

    /** What a command printed (stdout and stderr together) and how it exited. */
    record Result(int exit, String output) {
        Result ok(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " exited " + exit + ":\n" + output);
            }
            return this;
        }
    }

    private Dpkg() {
    }

    static Result run(Map<String, String> env, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not end within 5 minutes");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Result run(String... argv) throws IOException, InterruptedException {
        return run(Map.of(), argv);
    }

    /** apt-get install of a package file, as an operator installs one: its dependencies come from apt. */
    static Result install(Path deb) throws IOException, InterruptedException {
        return run("apt-get", "install", "-y", "-q", deb.toAbsolutePath().toString()).ok("apt-get install " + deb);
    }

    static Result remove(String pkg) throws IOException, InterruptedException {
        return run("apt-get", "remove", "-y", "-q", pkg).ok("apt-get remove " + pkg);
    }

    static Result purge(Map<String, String> env, String pkg) throws IOException, InterruptedException {
        return run(env, "apt-get", "purge", "-y", "-q", pkg).ok("apt-get purge " + pkg);
    }

    /** dpkg's state of a package: "installed", "config-files", or "not-installed" when dpkg knows none. */
    static String status(String pkg) throws IOException, InterruptedException {
        Result r = run("dpkg-query", "-W", "-f=${db:Status-Status}", pkg);
        return r.exit() == 0 ? r.output().strip() : "not-installed";
    }

    /** The package whose diversion holds {@code path}, if any. */
    static Optional<String> diverter(Path path) throws IOException, InterruptedException {
        String owner = run("dpkg-divert", "--listpackage", path.toString()).ok("dpkg-divert --listpackage").output().strip();
        return owner.isEmpty() ? Optional.empty() : Optional.of(owner);
    }

    static List<String> files(String pkg) throws IOException, InterruptedException {
        return run("dpkg", "-L", pkg).ok("dpkg -L " + pkg).output().lines().filter(l -> l.startsWith("/")).toList();
    }

    /** lintian's lines for some package files: {@code E: pkg: tag ...} and {@code W: ...}. */
    static List<String> lintian(Path... debs) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("lintian", "--no-tag-display-limit"));
        for (Path deb : debs) {
            argv.add(deb.toString());
        }
        Result r = run(argv.toArray(String[]::new));
        // lintian exits 2 when it finds errors, 1 when it fails itself: only the latter says nothing
        if (r.exit() != 0 && r.exit() != 2) {
            throw new AssertionError("lintian exited " + r.exit() + ":\n" + r.output());
        }
        return r.output().lines().filter(l -> l.matches("[EWIPX]: .*")).toList();
    }
}
