package org.sstorchestrator.states.donor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.POSITION;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.mariabackup.Binaries;
import org.sstorchestrator.states.mariabackup.DonorVersions;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.LoopbackPeer;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.StageFixture.Recorder.Transfer;
import org.sstorchestrator.states.wire.GaleraInfo;
import org.sstorchestrator.states.wire.MbstreamReader;

/** Transfer 1 on the donor, sent to a loopback joiner: the position as an mbstream of the info files. */
class SendMagicTest {

    private static final String VERSION_10_11 = "mariadb-backup based on MariaDB server 10.11.6-MariaDB debian-linux-gnu (x86_64)";
    private static final String VERSION_11_4 = "mariadb-backup based on MariaDB server 11.4.3-MariaDB Linux (x86_64)";

    @RegisterExtension
    final StageFixture f = new StageFixture();

    @BeforeEach
    void aDonorDatadir() throws Exception {
        f.write(f.datadir.resolve("ibdata1"), "i".repeat(1000));
        f.write(f.datadir.resolve("shop/orders.ibd"), "o".repeat(500));
        // what the backup does not copy, so the total leaves it out
        f.write(f.datadir.resolve("galera.cache"), "g".repeat(10_000));
        f.write(f.datadir.resolve("grastate.dat"), "# GALERA saved state\n");
        f.write(f.datadir.resolve("mariabackup.backup.log"), "an old log\n");
        f.write(f.datadir.resolve(".sst/leftover"), "l".repeat(3000));
    }

    /** mariadb-backup --version as 10.x writes it: to stderr. */
    private void mariadbBackupVersion(String version) throws Exception {
        f.standIn("mariadb-backup", "echo '" + version + "' >&2");
    }

    private SstContext donor(int port, String... extra) {
        SstContext ctx = f.donor(port, extra);
        ctx.facts().put(new Binaries(f.bin.resolve("mariadb-backup"), Optional.empty()));
        return ctx;
    }

    @Test
    void sendMagicSendsAValidMbstreamOfThePositionTheTotalAndTheRunIdToTheJoiner() throws Exception {
        mariadbBackupVersion(VERSION_10_11);
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            SstContext ctx = donor(joiner.port());
            List<String> before = StageFixture.list(f.datadir);

            assertEquals(Stage.OK, new SendMagic().run(ctx));

            byte[] received = joiner.received();
            Map<String, byte[]> files = MbstreamReader.readAll(new ByteArrayInputStream(received));
            assertEquals(List.of(GaleraInfo.LEGACY_NAME, GaleraInfo.DONOR_NAME, DonorVersions.FILE),
                    List.copyOf(files.keySet()));
            assertEquals("tool_version = 10.11.6-MariaDB\n", new String(files.get(DonorVersions.FILE), StandardCharsets.UTF_8),
                    "no mariadb client here: the server's version is not announced");
            assertEquals(POSITION + "\ntotal 1500\n" + GaleraInfo.RUN_TAG + " " + f.runId() + "\n",
                    new String(files.get(GaleraInfo.LEGACY_NAME), StandardCharsets.UTF_8));
            assertEquals(POSITION + "\n", new String(files.get(GaleraInfo.DONOR_NAME), StandardCharsets.UTF_8));
            assertEquals(1500L, ctx.facts().get(Estimate.class).total(), "the data files, not the cache, logs or .sst");
            assertEquals(List.of(new Transfer("magic", received.length, true)), f.recorder.transfers);
            assertEquals("127.0.0.1:" + joiner.port(), f.recorder.attributes.get("peer"));
            assertEquals(List.of(List.of("--version")), f.calls("mariadb-backup"));
            assertEquals(List.of(), f.printed(), "total goes to mysqld only with --progress 1");
            assertEquals(before, StageFixture.list(f.datadir), "written from memory: nothing in the datadir");
        }
    }

    @Test
    void theRealMbstreamExtractsTransferOneAsTheStockJoinerWould() throws Exception {
        Path real = Path.of("/usr/bin/mbstream");
        Assumptions.assumeTrue(Files.isExecutable(real), "mbstream is installed by scripts/install-deps");
        mariadbBackupVersion(VERSION_10_11);
        byte[] received;
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            new SendMagic().run(donor(joiner.port()));
            received = joiner.received();
        }
        Path target = Files.createDirectories(f.root.resolve("stock-joiner"));
        Process x = new ProcessBuilder(real.toString(), "-x").directory(target.toFile()).start();
        try (OutputStream in = x.getOutputStream()) {
            in.write(received);
        }
        assertEquals(0, x.waitFor());
        assertEquals(POSITION + "\n", Files.readString(target.resolve(GaleraInfo.DONOR_NAME)));
        assertTrue(Files.isRegularFile(target.resolve(DonorVersions.FILE)), "extracted beside them, and never read");
        assertTrue(Files.readString(target.resolve(GaleraInfo.LEGACY_NAME)).startsWith(POSITION + "\ntotal 1500\n"));
    }

    @Test
    void aDonorOf11_1OrLaterNamesTheInfoFileAsItsJoinerExpectsAndWithProgressTellsMysqldTheTotal() throws Exception {
        mariadbBackupVersion(VERSION_11_4);
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            new SendMagic().run(donor(joiner.port(), "--progress", "1"));

            Map<String, byte[]> files = MbstreamReader.readAll(new ByteArrayInputStream(joiner.received()));
            assertEquals(List.of(GaleraInfo.NEW_NAME, GaleraInfo.DONOR_NAME, DonorVersions.FILE), List.copyOf(files.keySet()));
            assertEquals(List.of("total 1500"), f.printed());
        }
    }

    /** Issue 22: the joiner judges the donor's versions before it wipes anything; ours announces them here. */
    @Test
    void transferOneAnnouncesTheRunningServersVersionAskedAsTheSstUserWithThePasswordInTheEnvironment() throws Exception {
        mariadbBackupVersion(VERSION_10_11);
        f.standIn("mariadb", "echo '10.11.6-MariaDB-0+deb12u1-log'");
        f.credentials("sstuser", "s3cret");
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            new SendMagic().run(donor(joiner.port(), "--socket", "/run/mysqld/mysqld.sock"));

            Map<String, byte[]> files = MbstreamReader.readAll(new ByteArrayInputStream(joiner.received()));
            assertEquals("server_version = 10.11.6-MariaDB-0+deb12u1-log\ntool_version = 10.11.6-MariaDB\n",
                    new String(files.get(DonorVersions.FILE), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("--user=sstuser", "--socket=/run/mysqld/mysqld.sock", "--connect-timeout=5", "-N", "-B", "-e",
                "SELECT VERSION()"), f.onlyCall("mariadb"));
        assertEquals(List.of("s3cret"), f.passwordsSeen("mariadb"));
    }

    @Test
    void aServerThatDoesNotAnswerCostsTheAnnouncementItsServerVersionNeverTheTransfer() throws Exception {
        mariadbBackupVersion(VERSION_10_11);
        f.standIn("mariadb", "echo 'ERROR 2002 (HY000): Can not connect' >&2; exit 1");
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            assertEquals(Stage.OK, new SendMagic().run(donor(joiner.port())));

            Map<String, byte[]> files = MbstreamReader.readAll(new ByteArrayInputStream(joiner.received()));
            assertEquals("tool_version = 10.11.6-MariaDB\n", new String(files.get(DonorVersions.FILE), StandardCharsets.UTF_8));
        }
    }

    @Test
    void inIstBypassMysqldIsToldToContinueFirstAndTheJoinerIsToldItIsAnIst() throws Exception {
        mariadbBackupVersion(VERSION_10_11);
        try (LoopbackPeer joiner = LoopbackPeer.joiner()) {
            SstContext ctx = donor(joiner.port(), "--bypass", "--progress", "1");

            assertEquals(SendMagic.IST, new SendMagic().run(ctx));

            assertEquals(List.of("continue"), f.printed(), "no total: nothing is streamed");
            Map<String, byte[]> files = MbstreamReader.readAll(new ByteArrayInputStream(joiner.received()));
            assertEquals(List.of(GaleraInfo.LEGACY_NAME, GaleraInfo.DONOR_NAME, GaleraInfo.IST_NAME), List.copyOf(files.keySet()));
            assertArrayEquals("1\n".getBytes(StandardCharsets.UTF_8), files.get(GaleraInfo.IST_NAME));
            assertEquals(POSITION + "\n" + GaleraInfo.RUN_TAG + " " + f.runId() + "\n",
                    new String(files.get(GaleraInfo.LEGACY_NAME), StandardCharsets.UTF_8));
            assertNull(ctx.facts().get(Estimate.class).total());
        }
    }

    @Test
    void sendMagicRetriesUntilTheJoinerListensInsteadOfSleepingTenSeconds() throws Exception {
        mariadbBackupVersion(VERSION_10_11);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        CompletableFuture<LoopbackPeer> later = LoopbackPeer.joinerListeningLater(port, 250);

        assertEquals(Stage.OK, new SendMagic().run(donor(port)));

        try (LoopbackPeer joiner = later.get()) {
            assertEquals(3, MbstreamReader.readAll(new ByteArrayInputStream(joiner.received())).size(),
                    "both info files and the versions");
        }
    }

    @Test
    void aJoinerThatNeverListensIsExit32NamingTheConnectTimeout() throws Exception {
        mariadbBackupVersion(VERSION_10_11);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        f.clockLeaping(10_000_000_000L); // the 2 s of sst-connect-timeout pass at the first retry

        SstException e = failsWith(ExitCode.EPIPE, () -> new SendMagic().run(donor(port)));

        assertTrue(e.getMessage().contains("sst-connect-timeout"), e.getMessage());
        assertEquals(List.of(), f.recorder.transfers);
    }
}
