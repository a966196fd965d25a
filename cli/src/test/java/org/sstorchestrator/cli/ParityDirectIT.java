package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 against a real donor, our joiner and donor run as mysqld runs them (cheap: one
 * node, no joining mysqld): a joiner behind a NAT, its data home named only in the
 * environment mysqld sets, syslog as Debian's default configuration turns it on (a fake
 * logger on the PATH, the process boundary, records what it is given) with use-memory from
 * [mariabackup] reaching prepare, and an IST-only run's log lines.
 */
class ParityDirectIT {

    @RegisterExtension
    static final OneDonor DONOR = new OneDonor("parity-direct", 5);

    private static DirectSst.Side donor(Path tmp, String address, List<String> sst, Map<String, String> env,
                                        String... extra) throws Exception {
        List<String> lines = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        // the donor node's previous backup log is archived at each run: into this test's directory, not /tmp's
        lines.add("sst-log-archive-dir=" + tmp.resolve("archive"));
        lines.addAll(sst);
        return DirectSst.donor(tmp, DONOR.node(), address, lines, env, extra);
    }

    @Test
    void aJoinerBehindANatListensOnEveryInterfaceAndPutsItsDataHomeWhereTheEnvironmentSays(@TempDir Path tmp)
            throws Exception {
        Path home = Files.createDirectories(tmp.resolve("ibhome"));
        Files.writeString(home.resolve("ibdata1"), "old"); // move-back never overwrites: the wipe must take it
        DirectSst.Side j = DirectSst.joinerAt(tmp, tmp.resolve("data"), "192.0.2.1", DirectSst.SHORT_TIMEOUTS,
                Map.of("INNODB_DATA_HOME_DIR", home.toString()));
        String ready = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        assertTrue(ready.startsWith("192.0.2.1:"), "advertised as given: " + ready);
        // the NAT: the donor reaches the joiner at an address the joiner does not have
        DirectSst.Side d = donor(tmp, ready.replace("192.0.2.1", "127.0.0.1"), List.of(), Map.of());
        assertEquals(0, d.exit(DirectSst.BOUND), d.err());
        assertEquals(0, j.exit(DirectSst.BOUND), j.err());

        assertTrue(j.err().contains("Listening on every interface, port " + ready.split("[:/]")[1] + ", for 192.0.2.1"),
                j.err());
        assertTrue(Files.size(home.resolve("ibdata1")) > 1 << 20, "the donor's ibdata1, in the data home");
        assertFalse(Files.exists(tmp.resolve("data/ibdata1")));
        assertTrue(Files.isRegularFile(tmp.resolve("data/sbtest/t.ibd")));
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void withMysqldSafeSyslogTheSstLinesAndChildOutputGoToLoggerAndUseMemoryReachesPrepare(@TempDir Path tmp)
            throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path logger = bin.resolve("logger");
        Files.writeString(logger, "#!/bin/sh\n"
                + "{ printf 'ARGV'; for a in \"$@\"; do printf ' [%s]' \"$a\"; done; printf '\\n'\n"
                + "  case \" $* \" in *' -- '*) ;; *) while IFS= read -r l; do printf 'STDIN[%s] %s\\n' \"$4\" \"$l\"; done ;;"
                + " esac; } >> \"$FAKE_SYSLOG\"\n");
        logger.toFile().setExecutable(true);
        Path syslog = tmp.resolve("syslog.txt");
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "FAKE_SYSLOG", syslog.toString());
        List<String> joinerCnf = new ArrayList<>(DirectSst.SHORT_TIMEOUTS);
        joinerCnf.addAll(List.of("[mariabackup]", "use-memory=96M", "[mysqld_safe]", "syslog", "syslog-tag=sstit"));
        DirectSst.Side j = DirectSst.joiner(tmp, joinerCnf, env);
        String ready = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.Side d = donor(tmp, ready, List.of("[mysqld_safe]", "syslog"), env);
        assertEquals(0, d.exit(DirectSst.BOUND), d.err());
        assertEquals(0, j.exit(DirectSst.BOUND), j.err());

        String logged = Files.readString(syslog);
        // stderr (mysqld's error log) has what comes before the switch, as with the stock script
        assertTrue(j.err().contains("mariabackup_sm SST started on joiner"), j.err());
        assertTrue(j.err().contains("Logging all stderr of SST/mariadb-backup to syslog"), j.err());
        assertFalse(j.err().contains("completed on joiner"), "after the switch, lines go to syslog: " + j.err());
        assertTrue(logged.contains("ARGV [-p] [daemon.info] [-t] [sstit-wsrep-sst-joiner] [--] [joiner "), logged);
        assertTrue(logged.lines().anyMatch(l -> l.startsWith("ARGV [-p] [daemon.info] [-t] [sstit-wsrep-sst-joiner] [--]")
                && l.endsWith("mariabackup_sm SST completed on joiner]")), logged);
        assertTrue(logged.contains("ARGV [-p] [daemon.err] [-t] [sstit-innobackupex-apply]"), logged);
        assertTrue(logged.contains("ARGV [-p] [daemon.err] [-t] [sstit-innobackupex-move]"), logged);
        assertTrue(logged.lines().anyMatch(l -> l.startsWith("STDIN[-innobackupex-backup] ")),
                "the donor's backup output, with no tag of its own: " + logged.length());
        assertTrue(logged.lines().anyMatch(l -> l.startsWith("STDIN[sstit-innobackupex-apply] ")
                && l.contains("Using 100663296 bytes for buffer pool")), "use-memory from [mariabackup] did not reach prepare:\n"
                + Files.readString(tmp.resolve("data/mariabackup.prepare.log")));
        assertTrue(Files.readString(tmp.resolve("data/mariabackup.prepare.log")).contains("Using 100663296 bytes for buffer pool"),
                "our own copy of prepare's log");
        TransitionLedger.record(getClass(), tmp);
    }

    @Test
    void anIstOnlyRunSaysIstOnBothSides(@TempDir Path tmp) throws Exception {
        DirectSst.Side j = DirectSst.joiner(tmp, DirectSst.SHORT_TIMEOUTS, Map.of());
        String ready = DirectSst.ready(j).orElseThrow(() -> new AssertionError(j.err()));
        DirectSst.Side d = donor(tmp, ready, List.of(), Map.of(), "--bypass");
        assertEquals(0, d.exit(DirectSst.BOUND), d.err());
        assertEquals(0, j.exit(DirectSst.BOUND), j.err());
        assertTrue(d.err().contains("mariabackup_sm IST started on donor"), d.err());
        assertTrue(d.err().contains("mariabackup_sm IST completed on donor"), d.err());
        assertTrue(j.err().contains("mariabackup_sm SST started on joiner"), "mysqld does not know yet: " + j.err());
        assertTrue(j.err().contains("mariabackup_sm IST completed on joiner"), j.err());
        assertFalse(j.err().contains("SST completed"), j.err());
        TransitionLedger.record(getClass(), tmp);
    }
}
