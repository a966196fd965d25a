package org.sstorchestrator.states.mariabackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The donor's versions (issue 22): one format for transfer 1 and the backup's info file, one rule. */
class DonorVersionsTest {

    @Test
    void whatOurDonorSendsReadsBackAsMariadbBackupsOwnInfoFileReads() {
        DonorVersions sent = new DonorVersions(Optional.of("10.11.19-MariaDB-0+deb12u1-log"), Optional.of("10.11.19-MariaDB"),
                "transfer 1");
        assertEquals(sent, DonorVersions.parse("transfer 1", sent.render()));
        // as mariadb-backup 10.11 writes xtrabackup_info: key = value, among other keys
        DonorVersions info = DonorVersions.parse("x", ("uuid = 5\nname = \ntool_name = mariabackup\ntool_command = --backup\n"
                + "tool_version = 10.11.19-MariaDB\nibbackup_version = 10.11.19-MariaDB\n"
                + "server_version = 10.11.19-MariaDB-0+deb12u1-log\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.of("10.11.19-MariaDB-0+deb12u1-log"), info.server());
        assertEquals(Optional.of("10.11.19-MariaDB"), info.backup());
    }

    @Test
    void aMajorVersionIsTheReleaseSeries() {
        assertEquals(Optional.of(new DonorVersions.Series(10, 11)), DonorVersions.Series.of("10.11.19-MariaDB-log"));
        assertEquals(Optional.of(new DonorVersions.Series(11, 4)),
                DonorVersions.Series.of("mariadb-backup based on MariaDB server 11.4.3-MariaDB Linux (x86_64)"));
        assertTrue(new DonorVersions.Series(11, 0).compareTo(new DonorVersions.Series(10, 11)) > 0);
        assertTrue(MariadbBackup.usesNewInfoName("11.1.2-MariaDB"));
        assertFalse(MariadbBackup.usesNewInfoName("10.11.19-MariaDB"));
        assertFalse(MariadbBackup.usesNewInfoName("no version here"));
    }

    @Test
    void unknownVersionsOnEitherSideRefuseNothing() {
        new DonorVersions(Optional.empty(), Optional.empty(), "x").refuseNewerThan("10.11.19-MariaDB", false);
        new DonorVersions(Optional.of("99.1.0"), Optional.empty(), "x").refuseNewerThan("garbled", false);
    }
}
