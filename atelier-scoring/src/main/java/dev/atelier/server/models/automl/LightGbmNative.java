package dev.atelier.server.models.automl;

import io.github.metarank.lightgbm4j.LGBMBooster;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads LightGBM's native libraries from a folder only this process can write, before lightgbm4j would. lightgbm4j
 * 4.1.0-1 loads {@code <java.io.tmpdir>/lib_lightgbm.so} when such a file exists, without checking it: on a host shared
 * with other users, anyone could plant that file in {@code /tmp} and have it run inside the server or a job. Here the
 * two libraries are copied from lightgbm4j's jar into a new folder made by {@link Files#createTempDirectory} (owner-only,
 * unguessable name), loaded by absolute path, and lightgbm4j is told they are loaded, so its own loader never runs.
 * Thread-safe: {@link #load()} is synchronized and does its work once per JVM.
 */
public final class LightGbmNative {
    private static final String[] LIBRARIES = {"lib_lightgbm", "lib_lightgbm_swig"};
    private static boolean loaded;

    private LightGbmNative() {
    }

    /**
     * Loads the libraries once.
     *
     * @throws UnsatisfiedLinkError when this platform has no library in lightgbm4j's jar, or it cannot be loaded
     */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        String folder = folder();
        try {
            Path directory = Files.createTempDirectory("atelier-lightgbm-");
            directory.toFile().deleteOnExit();
            for (String library : LIBRARIES) {
                String file = library + (folder.startsWith("lightgbm4j/osx/") ? ".dylib" : ".so");
                Path target = directory.resolve(file);
                try (InputStream in = LGBMBooster.class.getClassLoader().getResourceAsStream(folder + file)) {
                    if (in == null) {
                        throw new UnsatisfiedLinkError("lightgbm4j's jar has no " + folder + file);
                    }
                    Files.copy(in, target);
                }
                target.toFile().deleteOnExit();
                System.load(target.toString());
            }
            Field nativeLoaded = LGBMBooster.class.getDeclaredField("nativeLoaded");
            nativeLoaded.setAccessible(true);
            nativeLoaded.setBoolean(null, true);
            loaded = true;
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("LightGBM's native library was not loaded: " + e);
            error.initCause(e);
            throw error;
        }
    }

    /** lightgbm4j's resource folder for this platform. */
    private static String folder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String machine = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
        String system = os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : null;
        if (machine == null || system == null) {
            throw new UnsatisfiedLinkError("LightGBM has no native library for " + os + " " + arch);
        }
        return "lightgbm4j/" + system + "/" + machine + "/";
    }
}
