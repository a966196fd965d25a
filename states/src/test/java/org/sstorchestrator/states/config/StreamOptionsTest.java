package org.sstorchestrator.states.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.Role;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.config.CompressionCommand.Direction;

/** Issue 10: the stream options, read as the stock script reads them. */
class StreamOptionsTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static OptionFiles cnf(String... groupKeyValue) {
        Map<String, Map<String, String>> g = new HashMap<>();
        for (String s : groupKeyValue) {
            String[] p = s.split("[.=]", 3);
            g.computeIfAbsent(p[0], k -> new HashMap<>()).put(p[1], p[2]);
        }
        return new OptionFiles(g);
    }

    private static String compressor(String value) {
        return CompressionCommand.parse("[sst] compressor", value, Direction.COMPRESS).describe();
    }

    private static String decompressor(String value) {
        return CompressionCommand.parse("[sst] decompressor", value, Direction.DECOMPRESS).describe();
    }

    @ParameterizedTest(name = "compressor={0} runs as {1}")
    @CsvSource(delimiter = '|', value = {
        "zstd|built-in zstd -3",
        "zstd -c|built-in zstd -3",
        "zstd -T2 -9 -c -q|built-in zstd -9 -T2",
        "zstd -3c --no-progress -|built-in zstd -3",
        "zstd --threads=3 -1|built-in zstd -1 -T3",
        "zstd -22 -c|built-in zstd -19",
        "zstd --ultra -22|built-in zstd -22",
        "zstd --fast=4 -c|built-in zstd --fast=4",
        "lz4|built-in lz4 -1 -B7",
        "lz4 -c -q -z|built-in lz4 -1 -B7",
        "lz4 -9 -B4 -BX|built-in lz4 -9 -B4 -BX",
        "lz4 --no-frame-crc -c|built-in lz4 -1 -B7 --no-frame-crc",
        "gzip -c|built-in gzip -6",
        "gzip -9 -n -c|built-in gzip -9",
        "pigz -p 4 -c|built-in pigz -p4 -6",
        "pigz -p4 -1 -c|built-in pigz -p4 -1",
        "pigz --processes=1 -c|built-in gzip -6",
        // what we do not model exactly: the tool itself runs, so what reaches the other node never changes
        "/usr/bin/zstd -c|child process /usr/bin/zstd -c",
        "zstd --long=27 -c|child process zstd --long=27 -c",
        "zstd -c -o out.zst|child process zstd -c -o out.zst",
        "zstd -c file|child process zstd -c file",
        "zstd -d|child process zstd -d",
        "lz4 -BD -c|child process lz4 -BD -c",
        "lz4 -l|child process lz4 -l",
        "pigz -11 -c|child process pigz -11 -c",
        "pigz -z|child process pigz -z",
        "gzip --rsyncable|child process gzip --rsyncable",
        "gzip -p 2|child process gzip -p 2",
        "xz -T0 -c|child process xz -T0 -c",
        "'my compressor' --level 'a b'|child process my compressor --level a b",
    })
    void aCompressorWeKnowRunsBuiltInAndAnyOtherAsAChild(String value, String expected) {
        assertEquals(expected, compressor(value));
    }

    @Test
    void withoutAThreadCountPigzAndZstdmtUseEveryCoreAsTheToolsDo() {
        assertEquals(CORES > 1 ? "built-in pigz -p" + CORES + " -6" : "built-in gzip -6", compressor("pigz -c"));
        assertEquals("built-in zstd -3" + (CORES > 1 ? " -T" + CORES : ""), compressor("zstdmt -c"));
        assertEquals("built-in zstd -3" + (CORES > 1 ? " -T" + CORES : ""), compressor("zstd -T0"));
    }

    @ParameterizedTest(name = "decompressor={0} runs as {1}")
    @CsvSource(delimiter = '|', value = {
        "zstd -d|built-in zstd -3",
        "zstd -dc -q|built-in zstd -3",
        "zstd --decompress -T2|built-in zstd -3 -T2",
        "unzstd|built-in zstd -3",
        "zstdcat|built-in zstd -3",
        "lz4 -d|built-in lz4 -1 -B7",
        "lz4 -dc|built-in lz4 -1 -B7",
        "unlz4|built-in lz4 -1 -B7",
        "lz4cat|built-in lz4 -1 -B7",
        "gzip -dc|built-in gzip -6",
        "gunzip -c|built-in gzip -6",
        "zcat|built-in gzip -6",
        "pigz -dc -p 2|built-in pigz -p2 -6",
        "unpigz -p1|built-in gzip -6",
        "/usr/bin/zstd -d|child process /usr/bin/zstd -d",
        "zstd -c|child process zstd -c",
        "zstd -d --long=31|child process zstd -d --long=31",
        "xz -d|child process xz -d",
    })
    void aDecompressorWeKnowRunsBuiltInAndAnyOtherAsAChild(String value, String expected) {
        assertEquals(expected, decompressor(value));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zstd -c | pv -q", "zstd -c > /tmp/x", "zstd -$LEVEL", "zstd `cat level`", "zstd -c; rm -rf /",
        "zstd -c &", "nice -n 5 zstd -c 2>/dev/null", "zstd \"-$L\"", "(zstd -c)", "zstd -c # fast"})
    void shellSyntaxIsRefusedNamingTheCharacterNeverPassedOnLiterally(String value) {
        SstException e = assertThrows(SstException.class, () -> compressor(value));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("[sst] compressor = '" + value + "'") && e.getMessage().contains("shell syntax")
                && e.getMessage().contains("script"), e.getMessage());
    }

    @Test
    void quotedOrEscapedShellCharactersAreOrdinaryCharactersOfAWord() {
        assertEquals("child process filter a|b $x c;d a#b #", compressor("filter 'a|b' '$x' c\\;d a#b '#'"));
        assertEquals(ExitCode.EINVAL, assertThrows(SstException.class, () -> compressor("  ")).code());
    }

    @Test
    void eachRoleReadsOnlyItsOwnSideAsTheStockScriptDoes() {
        OptionFiles both = cnf("sst.compressor=zstd -3", "sst.decompressor=zstd -d", "sst.rlimit=10m");
        StreamOptions donor = SstConfig.from(both, Role.DONOR).stream();
        StreamOptions joiner = SstConfig.from(both, Role.JOINER).stream();
        assertTrue(donor.compressor().isPresent() && donor.decompressor().isEmpty());
        assertTrue(joiner.decompressor().isPresent() && joiner.compressor().isEmpty());
        assertEquals(10L << 20, donor.rateLimit());
        assertEquals(0, joiner.rateLimit(), "the joiner never limits, as stock");
        // a joiner does not even parse the donor's compressor: a value only the donor could run stops nothing
        SstConfig.from(cnf("sst.compressor=zstd -c | pv"), Role.JOINER);
    }

    @ParameterizedTest(name = "rlimit={0} is {1} bytes/s")
    @CsvSource({"80m,83886080", "80M,83886080", "1g,1073741824", "10k,10240", "1t,1099511627776", "100,100", "0,0",
        "' 10m',10485760"})
    void rlimitIsReadAsPvReadsIt(String value, long expected) {
        assertEquals(expected, StreamOptions.rate("[sst] rlimit", value));
    }

    @ParameterizedTest(name = "rlimit={0} is refused, as pv refuses it")
    @ValueSource(strings = {"1.5m", "10KB", "10Ki", "-5", "abc", "0x10", "10 m"})
    void anRlimitPvRefusesIsRefusedNamingIt(String value) {
        SstException e = assertThrows(SstException.class, () -> SstConfig.from(cnf("sst.rlimit=" + value), Role.DONOR));
        assertEquals(ExitCode.EINVAL, e.code());
        assertTrue(e.getMessage().contains("[sst] rlimit = '" + value.strip() + "'") && e.getMessage().contains("pv"),
                e.getMessage());
    }

    @Test
    void theDonorsStallRuleNeverCountsItsOwnRateLimitAsAStall() {
        SstConfig c = SstConfig.from(cnf("sst.rlimit=1k"), Role.DONOR);
        assertEquals(512, c.minRate());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("sst-min-rate")), c.warnings().toString());
        assertEquals(1024, SstConfig.from(cnf("sst.rlimit=10m"), Role.DONOR).minRate());
    }

    @Test
    void rlimitIsKeptWithProgressNoneWhereTheStockScriptWouldDropIt() {
        SstConfig c = SstConfig.from(cnf("sst.rlimit=10m", "sst.progress=none"), Role.DONOR);
        assertEquals(10L << 20, c.stream().rateLimit());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("progress=none")), c.warnings().toString());
    }

    @Test
    void progressIsNothingStderrOrAPathAsInTheStockScript() {
        assertEquals(StreamOptions.Progress.Kind.NONE, SstConfig.from(cnf()).stream().progress().kind());
        assertEquals(StreamOptions.Progress.Kind.NONE, SstConfig.from(cnf("sst.progress=none")).stream().progress().kind());
        assertEquals(StreamOptions.Progress.Kind.STDERR, SstConfig.from(cnf("sst.progress=1")).stream().progress().kind());
        StreamOptions.Progress file = SstConfig.from(cnf("sst.progress=/var/log/sst.fifo")).stream().progress();
        assertEquals(StreamOptions.Progress.Kind.FILE, file.kind());
        assertEquals("/var/log/sst.fifo", file.path());
    }

    @Test
    void withNetcatSockoptIsNotUsedAndAWarningSaysSoAsTheStockScriptIgnoresIt() {
        SstConfig c = SstConfig.from(cnf("sst.transferfmt=nc", "sst.sockopt=frobnicate,cipher=x"), Role.JOINER);
        assertTrue(c.stream().netcat() && c.stream().sockOpts().isEmpty());
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("transferfmt=nc")), c.warnings().toString());
    }

    @Test
    void compressIsPassedToTheDonorsBackupAsTheStockScriptPassesIt() {
        assertEquals(List.of("--compress=quicklz"), SstConfig.from(cnf("mariabackup.compress=quicklz"), Role.DONOR).stream()
                .backupCompression());
        assertEquals(List.of(), SstConfig.from(cnf("sst.compress=none", "sst.compress-threads=4"), Role.DONOR).stream()
                .backupCompression());
    }
}
