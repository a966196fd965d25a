package org.sstorchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sstorchestrator.cli.run.ProcCommandLine;

/** Issue 18 item 6: a JVM's command line is read whole, not cut where ProcessHandle cuts it. */
class ProcCommandLineTest {

    /** Prints the argument count of the command a relaunch would run, one per line: the last arguments first. */
    public static final class PrintRelaunch {
        public static void main(String[] args) {
            List<String> c = Relaunch.thisCommand(Relaunch.Need.C2).orElseThrow();
            System.out.println(c.size());
            System.out.println(c.get(c.size() - 1));
        }
    }

    @Test
    void aRelaunchedJvmGetsEveryArgumentOfALongCommandLine() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Relaunch.C1_ONLY, "-cp", System.getProperty("java.class.path"), PrintRelaunch.class.getName()));
        for (int i = 0; i < 300; i++) {
            cmd.add("--argument-number-" + i);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor(), out.toString());
        // the relaunch drops the C1 limit and adds its mark, the directives' flags (when found) and the cap
        assertEquals("--argument-number-299", out.get(1), "the relaunch lost the command line's end");
    }

    @Test
    void anEmptyArgumentIsKeptAndTheLastNulEndsTheLast(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("cmdline");
        java.nio.file.Files.write(f, "java\0\0-cp\0x y\0".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("java", "", "-cp", "x y"), ProcCommandLine.of(f).orElseThrow());
    }
}
