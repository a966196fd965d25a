package org.sstorchestrator.wire.compress;

import com.github.luben.zstd.util.Native;
import com.github.luben.zstd.util.ZstdVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sstorchestrator.wire.BundledNative;
import org.sstorchestrator.wire.WireException;

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

    public static synchronized void load() {
        if (Native.isLoaded()) {
            return;
        }
        try {
            if (System.getProperty("ZstdNativePath") == null) {
                Path bundled = BundledNative.besideJarOf(Native.class).resolve("libzstd-jni-" + ZstdVersion.VERSION + ".so");
                if (Files.isRegularFile(bundled)) {
                    System.setProperty("ZstdNativePath", bundled.toString());
                }
            }
            Native.load();
        } catch (java.net.URISyntaxException | RuntimeException | LinkageError e) {
            throw new WireException(WireException.Kind.MISSING, "cannot load zstd's native library (" + e.getMessage() + "); run the"
                    + " zstd tool instead by naming it with its path, e.g. compressor='/usr/bin/zstd -c'");
        }
    }
}
