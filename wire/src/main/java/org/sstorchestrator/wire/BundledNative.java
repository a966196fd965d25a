package org.sstorchestrator.wire;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the build puts the native libraries it ships (zstd-jni's, AWS-LC's): {@code
 * lib/native/<os>-<arch>/}, beside the jars, so that no library is copied out of its jar into
 * the temporary directory at every start.
 */
public final class BundledNative {

    private BundledNative() {
    }

    /** {@code native/<os>-<arch>}, as the build names it ({@code x86_64} is {@code amd64}). */
    public static String directory() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT).replace("x86_64", "amd64");
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_');
        return "native/" + os + "-" + arch;
    }

    /** That directory beside the jar {@code c} was loaded from. */
    public static Path besideJarOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).resolveSibling(directory());
    }
}
