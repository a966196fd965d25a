package org.sstorchestrator.states.wire;

import com.github.luben.zstd.util.Native;
import com.github.luben.zstd.util.ZstdVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;

/**
 * Loads zstd-jni's native library. The build puts it beside the jars
 * ({@code lib/native/<os>-<arch>/}), and we load it from there: zstd-jni would otherwise copy
 * it into the temporary directory at every start, which needs a writable, executable /tmp for
 * the mysql user and leaves a copy behind whenever the JVM is killed. Outside the launcher's
 * lib/ (tests from Maven) zstd-jni's own loader runs, its copy going to {@code ZstdTempFolder}
 * when that is set.
 */
public final class ZstdLibrary {

    private ZstdLibrary() {
    }

    /** The file the build extracts for this platform, relative to the directory of the zstd-jni jar. */
    public static String bundledName() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT).replace("x86_64", "amd64");
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_');
        return "native/" + os + "-" + arch + "/libzstd-jni-" + ZstdVersion.VERSION + ".so";
    }

    public static synchronized void load() {
        if (Native.isLoaded()) {
            return;
        }
        try {
            if (System.getProperty("ZstdNativePath") == null) {
                Path jar = Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path bundled = jar.getParent().resolve(bundledName());
                if (Files.isRegularFile(bundled)) {
                    System.setProperty("ZstdNativePath", bundled.toString());
                }
            }
            Native.load();
        } catch (java.net.URISyntaxException | RuntimeException | LinkageError e) {
            throw new SstException(ExitCode.ENOENT, "cannot load zstd's native library (" + e.getMessage() + "); run the"
                    + " zstd tool instead by naming it with its path, e.g. compressor='/usr/bin/zstd -c'");
        }
    }
}
