package org.sstorchestrator.states.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/** Transfer 1 is read whole into memory before its secret is checked: only what an info stream can be. */
class MbstreamReaderTest {

    @Test
    void anInfoStreamIsReadWhole() throws Exception {
        byte[] s = ForgedChunks.concat(ForgedChunks.file("xtrabackup_galera_info", "u:1 0\n"),
                ForgedChunks.file("donor_galera_info", "u:1 0\n"));
        assertEquals(2, MbstreamReader.readAll(new ByteArrayInputStream(s)).size());
    }

    /** Issue 18 item 6: 200,000 empty chunks were all read before the secret check. */
    @Test
    void endlessEmptyChunksAreRefusedEarly() throws Exception {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (int i = 0; i < 200_000; i++) {
            s.write(ForgedChunks.end("xtrabackup_galera_info"));
        }
        SstException e = assertThrows(SstException.class, () -> MbstreamReader.readAll(new ByteArrayInputStream(s.toByteArray())));
        assertEquals(ExitCode.EPIPE, e.code());
        assertTrue(e.getMessage().contains("more than " + MbstreamReader.MAX_CHUNKS + " chunks"), e.getMessage());
    }

    @Test
    void manyFilesAreRefused() throws Exception {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (int i = 0; i <= MbstreamReader.MAX_FILES; i++) {
            s.write(ForgedChunks.end("f" + i));
        }
        SstException e = assertThrows(SstException.class, () -> MbstreamReader.readAll(new ByteArrayInputStream(s.toByteArray())));
        assertTrue(e.getMessage().contains("more than " + MbstreamReader.MAX_FILES + " files"), e.getMessage());
    }
}
