package org.sstorchestrator.states.joiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sstorchestrator.states.StageFixture.POSITION;
import static org.sstorchestrator.states.StageFixture.failsWith;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sstorchestrator.engine.Stage;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.LoopbackPeer;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.StageFixture;
import org.sstorchestrator.states.layout.SstFiles;
import org.sstorchestrator.states.run.SstContext;
import org.sstorchestrator.states.wire.ForgedChunks;
import org.sstorchestrator.states.wire.GaleraInfo;
import org.sstorchestrator.states.wire.MbstreamWriter;

/** Transfer 1 on the joiner: the donor's info files, from a loopback donor speaking the protocol. */
class ReceiveMagicTest {

    @RegisterExtension
    final StageFixture f = new StageFixture();
    private Listening listening;

    @BeforeEach
    void fixture() throws Exception {
        listening = f.listening();
    }

    private int port() {
        return listening.server().getLocalPort();
    }

    private SstContext joiner(String... extra) {
        SstContext ctx = f.joiner(extra);
        ctx.facts().put(listening);
        return ctx;
    }

    /** Transfer 1 as a donor sends it: name, content, name, content ... */
    private static byte[] transferOne(String... nameAndContent) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MbstreamWriter w = new MbstreamWriter(out);
        for (int i = 0; i < nameAndContent.length; i += 2) {
            w.file(nameAndContent[i], nameAndContent[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        w.flush();
        return out.toByteArray();
    }

    @Test
    void theDonorsPositionArrivesAndItsFilesAreKeptInATemporaryDirectoryUnderTmpdir() throws Exception {
        String donorRun = UUID.randomUUID().toString();
        String info = POSITION + "\ntotal 123456789\n" + GaleraInfo.RUN_TAG + " " + donorRun + "\n";
        byte[] sent = transferOne(GaleraInfo.LEGACY_NAME, info, GaleraInfo.DONOR_NAME, POSITION + "\n");
        LoopbackPeer.donorSends(port(), sent);
        SstContext ctx = joiner();

        assertEquals(Stage.OK, new ReceiveMagic().run(ctx));

        FromDonor donor = ctx.facts().get(FromDonor.class);
        assertEquals(POSITION, donor.info().position());
        assertEquals(Optional.of(123456789L), donor.info().total());
        assertEquals(InetAddress.getByName("127.0.0.1"), donor.donor());
        assertFalse(donor.ist());
        Path magic = ctx.facts().get(MagicDir.class).dir();
        assertEquals(f.tmpdir, magic.getParent());
        assertEquals(info, Files.readString(magic.resolve(GaleraInfo.LEGACY_NAME)));
        assertEquals(POSITION + "\n", Files.readString(magic.resolve(GaleraInfo.DONOR_NAME)));
        assertEquals(List.of(new StageFixture.Recorder.Transfer("magic", sent.length, true)), f.recorder.transfers);
        assertEquals("127.0.0.1", f.recorder.attributes.get("peer"));
        assertEquals(donorRun, f.recorder.attributes.get("peer_run"));
        assertEquals(magic.toString(), f.recorder.attributes.get(SstFiles.TMP_MAGIC));
        assertEquals(List.of(), f.printed(), "total goes to mysqld only with --progress 1");
        assertFalse(listening.server().isClosed(), "transfer 2 comes on the same port");
    }

    @Test
    void anInfoFileUnderTheNameOf11_1IsAcceptedAndWithProgressTheTotalGoesToMysqld() throws Exception {
        LoopbackPeer.donorSends(port(), transferOne(GaleraInfo.NEW_NAME, POSITION + "\ntotal 4096\n"));
        SstContext ctx = joiner("--progress", "1");

        assertEquals(Stage.OK, new ReceiveMagic().run(ctx));

        assertEquals(POSITION, ctx.facts().get(FromDonor.class).info().position());
        assertEquals(List.of("total 4096"), f.printed());
    }

    @Test
    void aDonorThatBypassesSstForIstTakesTheIstBranchAndThePortIsClosed() throws Exception {
        LoopbackPeer.donorSends(port(), transferOne(GaleraInfo.LEGACY_NAME, POSITION + "\n",
                GaleraInfo.DONOR_NAME, POSITION + "\n", GaleraInfo.IST_NAME, "1\n"));
        SstContext ctx = joiner();

        assertEquals(ReceiveMagic.IST, new ReceiveMagic().run(ctx));

        assertTrue(ctx.facts().get(FromDonor.class).ist());
        assertTrue(listening.server().isClosed(), "no transfer 2: nothing else may connect");
    }

    @Test
    void noDonorWithinTheInitialTimeoutIsExit32NamingTheSetting() throws Exception {
        f.option("sst", "sst-initial-timeout", "1").clockRunningTimesFaster(20);
        SstContext ctx = joiner();

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveMagic().run(ctx));

        assertTrue(e.getMessage().contains("sst-initial-timeout"), e.getMessage());
        assertFalse(ctx.facts().has(FromDonor.class));
    }

    @Test
    void aDonorThatConnectsButNeverFinishesTransferOneIsCutOffAtTheInitialTimeout() throws Exception {
        f.option("sst", "sst-initial-timeout", "1");
        byte[] whole = transferOne(GaleraInfo.LEGACY_NAME, POSITION + "\n");
        try (Socket donor = LoopbackPeer.donorSendsThenStalls(port(), Arrays.copyOf(whole, 10))) {
            SstContext ctx = joiner();

            SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveMagic().run(ctx));

            assertTrue(e.getMessage().contains("sent no complete position within 1 s"), e.getMessage());
        }
    }

    @Test
    void aTruncatedTransferOneIsExit32AndNothingIsKept() throws Exception {
        byte[] whole = transferOne(GaleraInfo.LEGACY_NAME, POSITION + "\n");
        LoopbackPeer.donorSends(port(), Arrays.copyOf(whole, whole.length - 20));

        failsWith(ExitCode.EPIPE, () -> new ReceiveMagic().run(joiner()));

        assertEquals(List.of(), StageFixture.list(f.tmpdir));
    }

    @Test
    void aTransferOneWithoutAnInfoFileIsExit32NamingWhatItHeld() throws Exception {
        LoopbackPeer.donorSends(port(), transferOne(GaleraInfo.DONOR_NAME, POSITION + "\n"));

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveMagic().run(joiner()));

        assertTrue(e.getMessage().contains("without an info file") && e.getMessage().contains("[donor_galera_info]"),
                e.getMessage());
    }

    @Test
    void anInfoFileWhoseFirstLineIsNotAPositionIsExit32AndNothingIsKept() throws Exception {
        LoopbackPeer.donorSends(port(), transferOne(GaleraInfo.LEGACY_NAME, "$(reboot):5 0\n"));

        failsWith(ExitCode.EPIPE, () -> new ReceiveMagic().run(joiner()));

        assertEquals(List.of(), StageFixture.list(f.tmpdir));
    }

    @Test
    void aFileNameThatEscapesTheTargetIsRefusedWith32AndNothingIsWritten() throws Exception {
        LoopbackPeer.donorSends(port(), ForgedChunks.concat(
                ForgedChunks.file(GaleraInfo.LEGACY_NAME, POSITION + "\n"), ForgedChunks.file("../escaped", "x")));

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveMagic().run(joiner()));

        assertTrue(e.getMessage().contains("escapes the target"), e.getMessage());
        assertEquals(List.of(), StageFixture.list(f.tmpdir));
        assertFalse(Files.exists(f.root.resolve("escaped")));
    }

    @Test
    void aTransferOneFileInASubdirectoryIsTheDonorsFaultExit32AndNothingIsKept() throws Exception {
        // transfer 1 holds flat files only; a stock donor never sends a path here
        LoopbackPeer.donorSends(port(), transferOne(GaleraInfo.LEGACY_NAME, POSITION + "\n", "db/x", "x"));

        SstException e = failsWith(ExitCode.EPIPE, () -> new ReceiveMagic().run(joiner()));

        assertTrue(e.getMessage().contains("db/x"), e.getMessage());
        assertEquals(List.of(), StageFixture.list(f.tmpdir));
    }
}
