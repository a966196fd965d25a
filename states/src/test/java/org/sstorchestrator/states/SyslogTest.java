package org.sstorchestrator.states;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sstorchestrator.states.config.OptionFiles;
import org.sstorchestrator.states.config.Syslog;
import org.sstorchestrator.states.exec.Abort;
import org.sstorchestrator.states.exec.ChildProcesses;
import org.sstorchestrator.states.exec.Command;
import org.sstorchestrator.states.exec.SyslogSink;

/**
 * Issue 9, item 6: syslog exactly where the stock script uses it (docs/compatibility.md#the-error-log), through
 * logger run from an argv. A fake logger on the process boundary records what it was given.
 */
class SyslogTest {

    @TempDir
    Path tmp;

    private static Optional<String> tag(OptionFiles cnf, Map<String, String> env) {
        return Syslog.from(cnf, env, new ArrayList<>()).map(Syslog::tagPrefix);
    }

    @Test
    void mysqldSafesSyslogTurnsItOnWhateverItsValueAndSstSyslogMinusOneTurnsItOff() {
        assertEquals(Optional.empty(), tag(StageFixture.options(), Map.of()));
        assertEquals(Optional.of("-"), tag(StageFixture.options("mysqld_safe.syslog"), Map.of()),
                "Debian's default config: a bare syslog, no tag: '-wsrep-sst-joiner'");
        assertEquals(Optional.of("-"), tag(StageFixture.options("mysqld_safe.syslog=0"), Map.of()), "presence counts, as stock");
        assertEquals(Optional.of("-"), tag(StageFixture.options("mysqld_safe.loose-syslog", "sst.sst-syslog=1"), Map.of()));
        assertEquals(Optional.empty(), tag(StageFixture.options("mysqld_safe.syslog", "sst.sst-syslog=-1"), Map.of()));
        assertEquals(Optional.empty(), tag(StageFixture.options("sst.sst-syslog=1"), Map.of()), "sst-syslog=1 alone does nothing");
        assertEquals(Optional.of("mytag-"), tag(StageFixture.options("mysqld_safe.syslog", "mysqld_safe.syslog-tag=mytag"),
                Map.of("SST_SYSLOG_TAG", "envtag")));
        assertEquals(Optional.of("envtag-"), tag(StageFixture.options("mysqld_safe.syslog"), Map.of("SST_SYSLOG_TAG", "envtag")));
        List<String> warnings = new ArrayList<>();
        assertFalse(Syslog.from(StageFixture.options("mysqld_safe.syslog", "sst.sst-syslog=yes"), Map.of(), warnings).isPresent());
        assertTrue(warnings.get(0).contains("[sst] sst-syslog = 'yes' is not an integer"), warnings.toString());
        assertEquals("mytag-wsrep-sst-donor", new Syslog("mytag-").sstTag(Role.DONOR));
    }

    /** A logger that appends its argv, then its stdin when it was given no message, to {@code out}. */
    private Path fakeLogger(Path out, int exit) throws Exception {
        Path logger = tmp.resolve("logger");
        Files.writeString(logger, "#!/bin/sh\n"
                + "printf 'ARGV'; for a in \"$@\"; do printf ' [%s]' \"$a\"; done; printf '\\n'\n"
                + "case \" $* \" in *' -- '*) ;; *) while IFS= read -r l; do printf 'STDIN %s\\n' \"$l\"; done ;; esac\n"
                + "exit " + exit + "\n");
        logger.toFile().setExecutable(true);
        Path wrapper = tmp.resolve("logger-to-file");
        Files.writeString(wrapper, "#!/bin/sh\nexec \"" + logger + "\" \"$@\" >> \"" + out + "\"\n");
        wrapper.toFile().setExecutable(true);
        return wrapper;
    }

    @Test
    void aLineIsOneLoggerRunWithThePriorityTheTagAndTheMessageAfterDoubleDash() throws Exception {
        Path out = tmp.resolve("syslog.txt");
        SyslogSink sink = new SyslogSink(fakeLogger(out, 0), "-");
        assertTrue(sink.line(SyslogSink.Priority.INFO, "wsrep-sst-joiner", "-x 'quoted' $(not run); `either`"));
        assertTrue(sink.line(SyslogSink.Priority.ERR, "wsrep-sst-joiner", "failed"));
        assertEquals(List.of("ARGV [-p] [daemon.info] [-t] [-wsrep-sst-joiner] [--] [-x 'quoted' $(not run); `either`]",
                "ARGV [-p] [daemon.err] [-t] [-wsrep-sst-joiner] [--] [failed]"), Files.readAllLines(out));
    }

    @Test
    void aLoggerThatFailsIsReportedSoTheLineCanGoElsewhere() throws Exception {
        SyslogSink sink = new SyslogSink(fakeLogger(tmp.resolve("x.txt"), 1), "-");
        assertFalse(sink.line(SyslogSink.Priority.INFO, "wsrep-sst-joiner", "m"));
        assertFalse(new SyslogSink(tmp.resolve("no-such-logger"), "-").line(SyslogSink.Priority.INFO, "t", "m"));
    }

    @Test
    void aChildsOutputGoesToItsLogFileAndToOneLoggerUnderItsOwnTag() throws Exception {
        Path out = tmp.resolve("syslog.txt");
        ChildProcesses children = new ChildProcesses((c, code, s, e) -> { }, new Abort());
        children.toSyslog(new SyslogSink(fakeLogger(out, 0), "mytag-"));
        Path log = tmp.resolve("mariabackup.prepare.log");
        int code = children.run(Command.of(Path.of("/bin/echo"), List.of("[00] prepare says", "hello"))
                .withLog(log).withSyslog("innobackupex-apply"));
        assertEquals(0, code);
        assertEquals("[00] prepare says hello\n", Files.readString(log), "our own copy: failures are judged from it");
        assertEquals(List.of("ARGV [-p] [daemon.err] [-t] [mytag-innobackupex-apply]", "STDIN [00] prepare says hello"),
                Files.readAllLines(out));
    }

    @Test
    void aLoggerThatDiesNeverFailsTheChildOrItsLog() throws Exception {
        ChildProcesses children = new ChildProcesses((c, code, s, e) -> { }, new Abort());
        Path dead = tmp.resolve("dead-logger");
        Files.writeString(dead, "#!/bin/sh\nexec 0<&-\nexit 1\n");
        dead.toFile().setExecutable(true);
        children.toSyslog(new SyslogSink(dead, "-"));
        Path log = tmp.resolve("m.log");
        byte[] big = new byte[256 << 10];
        java.util.Arrays.fill(big, (byte) 'x');
        Path input = Files.write(tmp.resolve("big"), big);
        assertEquals(0, children.run(Command.of(Path.of("/bin/cat"), List.of(input.toString())).withLog(log)
                .withSyslog("innobackupex-move")));
        assertEquals(big.length, Files.size(log));
        try (OutputStream s = new SyslogSink(dead, "-").stream("t")) {
            s.write("line\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void withoutSyslogModeNothingIsTeed() throws Exception {
        ChildProcesses children = new ChildProcesses((c, code, s, e) -> { }, new Abort());
        assertTrue(children.syslog().isEmpty());
        Path log = tmp.resolve("m.log");
        children.run(Command.of(Path.of("/bin/echo"), List.of("x")).withLog(log).withSyslog("innobackupex-apply"));
        assertEquals("x\n", Files.readString(log));
    }
}
