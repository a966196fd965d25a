package org.sstorchestrator.cli.cluster;

import java.util.List;
import org.sstorchestrator.persistence.ClusterRow;

/** Rows as three nodes publish them: the SSTs the join and the views are specified on. */
public final class ClusterFixtures {

    public static final long T0 = 1_763_683_200_000L; // 2025-11-21 00:00:00 UTC
    public static final String D1 = "d1d1d1d1-0000-4000-8000-000000000001";
    public static final String J1 = "a1a1a1a1-0000-4000-8000-000000000001";
    public static final String D2 = "d2d2d2d2-0000-4000-8000-000000000002";
    public static final String J2 = "a2a2a2a2-0000-4000-8000-000000000002";
    public static final String J3 = "a3a3a3a3-0000-4000-8000-000000000003";
    public static final String D4 = "d4d4d4d4-0000-4000-8000-000000000004";

    private ClusterFixtures() {
    }

    private static ClusterRow row(String id, String role, String node, String peer, String peerRun, long start, long ms,
                                  String outcome, Integer exit, String meaning, String last, long bytes, String stages,
                                  String wire, String error) {
        return new ClusterRow(id, role, node, "127.0.0.1:" + (4567 + node.charAt(node.length() - 1) - '0'),
                "/var/lib/mysql", peer, peerRun, "mariabackup_sm", "0.1.0", "10.11.19-MariaDB-0+deb12u1", "10.11.19-MariaDB",
                T0 + start, T0 + start + ms, outcome, exit, meaning, last, bytes, stages, wire, error, T0 + start + ms + 50);
    }

    /** node1 gives node2 a TLS SST; node3 gives node2 one whose prepare fails; a stock donor gives node3 one; node1's last joiner has not published. */
    public static List<ClusterRow> rows() {
        String tls = "TLS encrypt=4 ssl-mode=VERIFY_IDENTITY; magic: TLSv1.3 TLS_AES_256_GCM_SHA384; backup: TLSv1.3"
                + " TLS_AES_256_GCM_SHA384";
        return List.of(
                row(J1, "joiner", "node2", "127.0.0.1:41234", D1, 0, 12_400, "completed", 0, "OK: success",
                        "report_position", 104_857_600, "preflight=12 listen=3 receive_magic=180 plan_space=2"
                                + " receive_stream=6100 prepare=3900 wipe_datadir=40 drop_binlogs=1 move_back=1800 cleanup=20"
                                + " report_position=1", tls, null),
                row(D1, "donor", "node1", "127.0.0.1:4444", null, 300, 7_000, "completed", 0, "OK: success", "report_done",
                        104_857_932, "preflight=150 send_magic=120 stream_backup=6600 cleanup=10 report_done=1", tls, null),
                row(J2, "joiner", "node2", "127.0.0.1:41300", D2, 60_000, 9_000, "failed", 22,
                        "EINVAL: invalid argument: bad configuration, or a backup, prepare or move that failed",
                        "prepare", 104_857_600, "preflight=10 listen=2 receive_magic=150 plan_space=2 receive_stream=5000"
                                + " prepare=3800 abort=30", "none (encrypt=0)",
                        "prepare: mariadb-backup --prepare exited with 1; see mariabackup.prepare.log"),
                row(D2, "donor", "node3", "127.0.0.1:4444", null, 60_250, 5_600, "completed", 0, "OK: success", "report_done",
                        104_857_932, "preflight=140 send_magic=110 stream_backup=5300 cleanup=10 report_done=1",
                        "none (encrypt=0)", null),
                row(J3, "joiner", "node3", "127.0.0.1:41400", null, 120_000, 14_000, "completed", 0, "OK: success",
                        "report_position", 104_857_600, "preflight=11 listen=3 receive_magic=10200 plan_space=2"
                                + " receive_stream=2100 prepare=1200 wipe_datadir=30 drop_binlogs=1 move_back=400 cleanup=10"
                                + " report_position=1", "none (encrypt=0)", null),
                row(D4, "donor", "node1", "127.0.0.1:4444", null, 180_000, 6_800, "completed", 0, "OK: success", "report_done",
                        104_857_932, "preflight=150 send_magic=120 stream_backup=6500 cleanup=10 report_done=1",
                        "none (encrypt=0)", null));
    }
}
