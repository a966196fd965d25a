package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.sstorchestrator.harness.GaleraNode;
import org.sstorchestrator.harness.LocalCluster;
import org.sstorchestrator.persistence.HistoryDatabase;
import org.sstorchestrator.persistence.HistoryQueries;
import org.sstorchestrator.persistence.RunSummary;
import org.sstorchestrator.states.config.HistoryLocation;
import org.sstorchestrator.states.layout.FileTree;

/**
 * Issue 23: the Debian packages {@code mvn package} made, on this machine, as an operator uses
 * them. Lints them; installs the method with apt-get; runs a real SST (TLS, on AWS-LC) between
 * two nodes that find it on the system PATH alone, with nothing of the checkout in their
 * environment or my.cnf; installs the drop-in and runs an SST that mysqld starts as
 * wsrep_sst_mariabackup on both nodes; removes both and finds the stock script back, byte for
 * byte, and the history kept. It changes /usr/bin and /var/lib: it refuses a machine where the
 * packages, the diversion or the history directory already are, and puts everything back as it
 * found it however it ends, because later test classes run the stock script.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageIT {

    private static final String MAIN = "sst-orchestrator";
    private static final String DROPIN = "sst-orchestrator-dropin";
    private static final Path STOCK = Path.of("/usr/bin/wsrep_sst_mariabackup");
    private static final Path STOCK_ASIDE = Path.of("/usr/bin/wsrep_sst_mariabackup.stock");
    private static final Path HISTORY_ROOT = Path.of(HistoryLocation.DEFAULT_ROOT);
    private static final Path METHOD = Path.of("/usr/bin/wsrep_sst_mariabackup_sm");
    private static final Path ADMIN = Path.of("/usr/bin/sst-admin");
    private static final Path LIB = Path.of(System.getProperty("deb.lib", "/usr/lib/sst-orchestrator"));
    private static final Path JVM = Path.of(System.getProperty("deb.jvm", "/usr/lib/jvm/java-17-openjdk-amd64"));

    /** Set once the machine is known to have none of what this test adds: only then does it clean up. */
    private boolean ours;
    private Path mainDeb;
    private Path dropinDeb;
    private String stockSha;
    private Path scratch;
    private LocalCluster cluster;
    private GaleraNode donor;
    private GaleraNode joiner;
    private GaleraNode dropinJoiner;
    private List<String> tls;

    @BeforeAll
    void findThePackagesAndTheMachineAsItIs() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "DebianPackageIT installs packages and diverts /usr/bin/wsrep_sst_mariabackup: it runs as root (as CI does)");
        Path target = ClusterFixture.appBin().resolveSibling("target");
        mainDeb = onlyPackage(target, MAIN + "_*_amd64.deb");
        dropinDeb = onlyPackage(target, DROPIN + "_*_all.deb");
        for (String pkg : List.of(MAIN, DROPIN)) {
            assertEquals("not-installed", Dpkg.status(pkg), pkg + " is already known to dpkg on this machine: this test"
                    + " installs and purges it, so run it where it is not (apt-get purge " + pkg + ")");
        }
        assertEquals(Optional.empty(), Dpkg.diverter(STOCK), STOCK + " is already diverted on this machine");
        assertFalse(Files.exists(HISTORY_ROOT), HISTORY_ROOT + " exists on this machine: this test purges it on request;"
                + " run it where there is none");
        assertTrue(Files.isRegularFile(STOCK, LinkOption.NOFOLLOW_LINKS), "mariadb-server's " + STOCK + " is not here");
        stockSha = sha256(STOCK);
        scratch = Files.createTempDirectory("sst-it-deb-");
        Files.copy(STOCK, scratch.resolve("stock-script"), StandardCopyOption.COPY_ATTRIBUTES);
        ours = true;
    }

    @AfterAll
    void putTheMachineBackAsItWas() throws Exception {
        if (!ours) {
            return; // what is there was there before: not ours to remove
        }
        List<String> trouble = new ArrayList<>();
        // each step runs whatever the one before it did: a failed step is reported, never a reason to stop
        step(trouble, "stopping the nodes", () -> {
            if (cluster != null) {
                cluster.close();
            }
        });
        for (String pkg : List.of(DROPIN, MAIN)) {
            step(trouble, "purging " + pkg, () -> {
                if (!Dpkg.status(pkg).equals("not-installed")) {
                    Dpkg.purge(Map.of(), pkg);
                }
            });
        }
        step(trouble, "removing the diversion", () -> {
            if (Dpkg.diverter(STOCK).equals(Optional.of(DROPIN))) {
                Dpkg.run("dpkg-divert", "--package", DROPIN, "--rename", "--divert", STOCK_ASIDE.toString(), "--remove",
                        STOCK.toString()).ok("dpkg-divert --remove");
                throw new AssertionError("the diversion outlived the package");
            }
        });
        // whatever a broken package did to it, the stock script is put back from this test's copy
        step(trouble, "checking the stock script", () -> {
            if (!Files.isRegularFile(STOCK, LinkOption.NOFOLLOW_LINKS) || !sha256(STOCK).equals(stockSha)) {
                Files.deleteIfExists(STOCK);
                Files.copy(scratch.resolve("stock-script"), STOCK, StandardCopyOption.COPY_ATTRIBUTES);
                throw new AssertionError(STOCK + " was not the stock script any more: put back from the copy taken before");
            }
        });
        step(trouble, "checking " + STOCK_ASIDE, () -> {
            if (Files.deleteIfExists(STOCK_ASIDE)) {
                throw new AssertionError(STOCK_ASIDE + " was left behind: removed");
            }
        });
        // there was none before this test (findThePackagesAndTheMachineAsItIs)
        step(trouble, "removing " + HISTORY_ROOT, () -> FileTree.delete(HISTORY_ROOT));
        if (!Boolean.getBoolean("keep.it.dirs")) {
            step(trouble, "removing " + scratch, () -> FileTree.delete(scratch));
        }
        assertEquals(stockSha, sha256(STOCK), "the stock script is back as it was");
        assertEquals(List.of(), trouble, "what putting the machine back met");
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<String> trouble, String what, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            trouble.add(what + ": " + e.getMessage());
        }
    }

    @Test
    @Order(1)
    void lintianFindsNoErrorAndOnlyTheWarningsDocsPackagingGivesAReasonFor() throws Exception {
        List<String> lines = Dpkg.lintian(mainDeb, dropinDeb);
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("E: ")).toList(), String.join("\n", lines));
        Set<String> warned = new TreeSet<>();
        for (String l : lines) {
            Matcher m = Pattern.compile("W: (\\S+): (\\S+).*").matcher(l);
            if (m.matches()) {
                warned.add(m.group(1) + " " + m.group(2));
            }
        }
        assertEquals(keptWarnings(), warned, "lintian's warnings and the ones docs/packaging.md keeps, with why:\n"
                + String.join("\n", lines));
    }

    @Test
    @Order(2)
    void aptInstallsTheMethodOnThePathAndAHistoryDirectoryOnlyTheMysqlUserReaches() throws Exception {
        String out = Dpkg.install(mainDeb).output();
        assertEquals("installed", Dpkg.status(MAIN), out);
        assertTrue(Files.isExecutable(METHOD) && Files.isExecutable(ADMIN), out);

        PosixFileAttributes history = Files.readAttributes(HISTORY_ROOT, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals("mysql", history.owner().getName());
        assertEquals("mysql", history.group().getName());
        assertEquals("rwx------", PosixFilePermissions.toString(history.permissions()));

        List<Path> installed = new ArrayList<>(Dpkg.files(MAIN).stream().map(Path::of).toList());
        installed.add(LIB.resolve("sst.jsa"));
        for (Path p : installed) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertEquals("root", a.owner().getName(), p + " belongs to root");
            assertFalse(a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || a.permissions().contains(PosixFilePermission.OTHERS_WRITE), p + " is writable by root alone");
        }
        // and from the mysql user's own view (access(2) with its uid)
        Dpkg.Result writable = Dpkg.run("setpriv", "--reuid=mysql", "--regid=mysql", "--clear-groups", "find",
                LIB.toString(), METHOD.toString(), ADMIN.toString(), "-writable");
        assertEquals(new Dpkg.Result(0, ""), writable, "what the mysql user can write of what it runs");

        assertTheClassArchiveMapsIntoTheLaunchersJvm();
    }

    /**
     * An upgrade of the JVM (openjdk-17-jre-headless) would leave the archive unmappable: the
     * package's trigger on that JVM's directory makes it again. dpkg-trigger activates the trigger
     * as an upgrade's unpack would.
     */
    @Test
    @Order(3)
    void aChangeOfTheJvmMakesTheClassArchiveAgain() throws Exception {
        Object before = Files.readAttributes(LIB.resolve("sst.jsa"), PosixFileAttributes.class).fileKey();
        Dpkg.run("dpkg-trigger", "--no-await", JVM.toString()).ok("dpkg-trigger");
        String out = Dpkg.run("dpkg", "--triggers-only", "--pending").ok("dpkg --triggers-only").output();
        assertTrue(out.contains("Processing triggers for " + MAIN), out);
        assertNotEquals(before, Files.readAttributes(LIB.resolve("sst.jsa"), PosixFileAttributes.class).fileKey(),
                "a new archive file");
        assertTheClassArchiveMapsIntoTheLaunchersJvm();
    }

    @Test
    @Order(4)
    void sstAdminsHelpManPagesAndCompletionWorkFromThePackage() throws Exception {
        Dpkg.Result help = Dpkg.run(ADMIN.toString(), "--help").ok("sst-admin --help");
        Golden.assertMatches("sst-admin-help.txt", help.output());

        Map<String, String> plain = Map.of("MANPAGER", "cat", "MANWIDTH", "100");
        String page = Dpkg.run(plain, "man", "sst-admin").ok("man sst-admin").output();
        assertTrue(page.contains("sst-admin - Shows the SST runs recorded on this node") && page.contains("doctor"), page);
        String history = Dpkg.run(plain, "man", "sst-admin-history").ok("man sst-admin-history").output();
        assertTrue(history.contains("--limit"), history);
        String method = Dpkg.run(plain, "man", "wsrep_sst_mariabackup_sm").ok("man wsrep_sst_mariabackup_sm").output();
        assertTrue(method.contains("/var/lib/sst-orchestrator/"), method);

        assertEquals(List.of("history"), complete("sst-admin", "hi"));
        assertTrue(complete("sst-admin", "history", "--l").contains("--limit"), complete("sst-admin", "history", "--l").toString());
    }

    @Test
    @Order(5)
    void nodesThatFindTheMethodOnTheSystemPathAloneJoinOverTlsOnAwsLc() throws Exception {
        TlsFixture pki = new TlsFixture(scratch.resolve("pki"));
        tls = List.of("encrypt=4", "ssl-cert=" + pki.cert, "ssl-key=" + pki.key, "ssl-ca=" + pki.ca);
        // the nodes run as the mysql user, as mariadb.service runs them: their files are that user's
        Files.setPosixFilePermissions(scratch, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (java.util.stream.Stream<Path> all = Files.walk(scratch.resolve("pki"))) {
            for (Path p : all.toList()) {
                Files.setOwner(p, p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mysql"));
            }
        }
        cluster = LocalCluster.installed(scratch.resolve("cluster"));
        donor = cluster.addNode(LocalCluster.Spec.of("mariabackup_sm", false).sst(tls));
        joiner = cluster.addNode(LocalCluster.Spec.of("mariabackup_sm", false).sst(tls));
        String checkout = ClusterFixture.appBin().getParent().toString();
        for (GaleraNode n : List.of(donor, joiner)) {
            String cnf = Files.readString(n.cnf());
            assertFalse(cnf.contains(checkout) || cnf.contains("history-dir") || cnf.contains("basedir"), cnf);
        }
        cluster.bootstrap(donor);
        LocalCluster.load(donor, 20);
        join(joiner);
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(joiner, "sbtest.t"));

        // read as an operator reads it: the installed sst-admin, pointed at the node's my.cnf alone
        for (GaleraNode n : List.of(joiner, donor)) {
            String runs = admin("history", "--json", "--defaults-file", n.cnf().toString());
            String role = n == joiner ? "joiner" : "donor";
            assertTrue(runs.contains("\"role\": \"" + role + "\"") && runs.contains("\"outcome\": \"completed\""), runs);
            String last = admin("inspect", "last", "--defaults-file", n.cnf().toString());
            assertTrue(last.contains("Crypto   AWS-LC ("), "the package's own native library did the TLS:\n" + last);
            assertTrue(Files.isRegularFile(historyOf(n).resolve("history.mv.db")), historyOf(n) + " holds the history");
        }
    }

    @Test
    @Order(6)
    void withTheDropinMysqldRunsOursAsWsrepSstMariabackupOnBothNodes() throws Exception {
        Dpkg.install(dropinDeb);
        assertEquals(Optional.of(DROPIN), Dpkg.diverter(STOCK));
        assertEquals(stockSha, sha256(STOCK_ASIDE), "the stock script, renamed aside, unchanged");
        assertEquals(METHOD, STOCK.toRealPath(), "ours answers as " + STOCK);
        // where dpkg writes the stock script when mariadb-server is upgraded or reinstalled
        assertEquals(STOCK_ASIDE.toString(), Dpkg.run("dpkg-divert", "--truename", STOCK.toString()).ok("truename")
                .output().strip());

        List<RunSummary> donorRunsBefore = runs(donor);
        dropinJoiner = cluster.addNode(LocalCluster.Spec.of("mariabackup", false).sst(tls));
        join(dropinJoiner);
        assertEquals(LocalCluster.checksum(donor, "sbtest.t"), LocalCluster.checksum(dropinJoiner, "sbtest.t"));

        // only ours keeps a history and says where in its first line; the stock script does neither
        RunSummary j = runs(dropinJoiner).get(0);
        assertEquals("completed", j.outcome());
        RunSummary d = runs(donor).get(0);
        assertEquals(donorRunsBefore.size() + 1, runs(donor).size());
        assertEquals("completed", d.outcome());
        assertTrue(Files.readString(dropinJoiner.errorLog()).contains("mariabackup SST started on joiner (history "
                + historyOf(dropinJoiner)), ClusterFixture.errorLogTail(dropinJoiner));
        assertTrue(Files.readString(donor.errorLog()).contains("mariabackup SST started on donor (history "
                + historyOf(donor)), ClusterFixture.errorLogTail(donor));
    }

    @Test
    @Order(7)
    void removingBothPackagesPutsTheStockScriptBackByteForByteAndKeepsTheHistory() throws Exception {
        cluster.close(); // no SST may be running while its program goes
        for (GaleraNode n : cluster.nodes()) {
            TransitionLedger.record(getClass(), historyOf(n));
        }
        Dpkg.purge(Map.of(), DROPIN);
        assertEquals(Optional.empty(), Dpkg.diverter(STOCK), "the diversion is gone");
        assertTrue(Files.isRegularFile(STOCK, LinkOption.NOFOLLOW_LINKS), STOCK + " is a file again, not ours");
        assertEquals(stockSha, sha256(STOCK), "the stock script, byte for byte");
        assertFalse(Files.exists(STOCK_ASIDE, LinkOption.NOFOLLOW_LINKS), STOCK_ASIDE + " is gone");

        String out = Dpkg.purge(Map.of(), MAIN).output();
        assertEquals("not-installed", Dpkg.status(MAIN));
        for (Path gone : List.of(METHOD, ADMIN, LIB)) {
            assertFalse(Files.exists(gone, LinkOption.NOFOLLOW_LINKS), gone + " is removed");
        }
        assertTrue(out.contains("kept the SST run history in " + HISTORY_ROOT), out);
        for (GaleraNode n : cluster.nodes()) {
            assertFalse(runs(n).isEmpty(), n.name() + "'s history is kept and readable");
        }
    }

    @Test
    @Order(8)
    void anInstallLeavesAnExistingHistoryAsItIsAndPurgeDeletesItOnlyWhenAskedTo() throws Exception {
        // as an operator may have made it by hand, with other rights than postinst gives
        Files.setPosixFilePermissions(HISTORY_ROOT, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setOwner(HISTORY_ROOT, HISTORY_ROOT.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        Dpkg.install(mainDeb);
        PosixFileAttributes a = Files.readAttributes(HISTORY_ROOT, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals("root rwxr-x---", a.owner().getName() + " " + PosixFilePermissions.toString(a.permissions()));
        assertFalse(runs(donor).isEmpty(), "the runs are still there");

        Dpkg.purge(Map.of("SST_ORCHESTRATOR_PURGE_HISTORY", "yes"), MAIN);
        assertFalse(Files.exists(HISTORY_ROOT));
    }

    /**
     * The installed launchers' JVM, made to insist on the archive (-Xshare:on where they say
     * auto): it refuses to start when the archive does not fit the JVM or the class path.
     */
    private void assertTheClassArchiveMapsIntoTheLaunchersJvm() throws Exception {
        Path java = scratch.resolve("java-xshare-on");
        Files.writeString(java, "#!/bin/sh\nfor a do\n  shift\n  [ \"$a\" = -Xshare:auto ] && a=-Xshare:on\n"
                + "  set -- \"$@\" \"$a\"\ndone\nexec " + JVM.resolve("bin/java") + " \"$@\"\n");
        java.toFile().setExecutable(true);
        Map<String, String> env = Map.of("SST_JAVA", java.toString());
        Dpkg.Result admin = Dpkg.run(env, ADMIN.toString(), "--version");
        assertEquals(new Dpkg.Result(0, "sst-admin 0.1.0\n"), admin, "sst-admin on the archive");
        // the method with no arguments: its JVM starts, maps the archive, and refuses the run (22)
        Dpkg.Result method = Dpkg.run(env, METHOD.toString());
        assertEquals(22, method.exit(), method.output());
    }

    private void join(GaleraNode node) throws Exception {
        try {
            cluster.join(node, Duration.ofMinutes(5));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\n" + ClusterFixture.errorLogTail(node), e);
        }
    }

    private static String admin(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(ADMIN.toString()));
        argv.addAll(List.of(args));
        return Dpkg.run(argv.toArray(String[]::new)).ok("sst-admin " + String.join(" ", args)).output();
    }

    /** Where the method keeps a node's history when its my.cnf names none: the method's own rule. */
    private static Path historyOf(GaleraNode node) {
        return HistoryLocation.resolve(Optional.empty(), node.datadir(), null);
    }

    private static List<RunSummary> runs(GaleraNode node) {
        try (HistoryDatabase db = HistoryDatabase.openForReading(historyOf(node))) {
            return new HistoryQueries(db).history(null, 100);
        }
    }

    /** What bash completes for the last word, with the completion file as bash-completion would load it. */
    private static List<String> complete(String... words) throws Exception {
        String script = "source /usr/share/bash-completion/completions/sst-admin\n"
                + "COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}\n"
                + "f=$(complete -p sst-admin | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')\n"
                + "\"$f\" sst-admin \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        List<String> argv = new ArrayList<>(List.of("bash", "-c", script, "complete"));
        argv.addAll(List.of(words));
        return Dpkg.run(argv.toArray(String[]::new)).ok("completion").output().lines().filter(l -> !l.isBlank()).toList();
    }

    /** {@code package tag} for each row of the table of kept warnings in docs/packaging.md. */
    private static Set<String> keptWarnings() throws IOException {
        Set<String> kept = new TreeSet<>();
        Path doc = ClusterFixture.appBin().resolveSibling("docs").resolve("packaging.md");
        for (String l : Files.readAllLines(doc)) {
            Matcher m = Pattern.compile("\\| `([a-z0-9-]+)` \\| ([a-z-]+) \\|.*").matcher(l);
            if (m.matches()) {
                kept.add(m.group(2) + " " + m.group(1));
            }
        }
        return kept;
    }

    private static Path onlyPackage(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                java.nio.file.PathMatcher m = dir.getFileSystem().getPathMatcher("glob:" + glob);
                s.filter(p -> m.matches(p.getFileName())).forEach(found::add);
            }
        }
        assertEquals(1, found.size(), "one " + glob + " in " + dir + " (mvn package writes it): " + found);
        return found.get(0);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
