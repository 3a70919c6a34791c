package dev.atelier.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * ONNX Runtime's native libraries for this platform, copied out of a package's jar once into a cache folder and loaded
 * from there by every later start ({@code onnxruntime.native.path}): without it, ONNX Runtime inflates its ~28 MB library
 * into a new temporary file at each start. The folder's name is the libraries' CRC-32s and sizes, read from the jar's
 * directory (nothing is inflated to compute it), so another ONNX Runtime gets a folder of its own. The cache is
 * {@code $ATELIER_CACHE_DIR}, else {@code $XDG_CACHE_HOME/atelier}, else {@code ~/.cache/atelier}; when it cannot be
 * written, the start goes on as before. Safe for concurrent starts: each file is written under a temporary name and
 * moved into place.
 */
final class NativeLibraryCache {
    static final String PROPERTY = "onnxruntime.native.path";
    private static final String[] LIBRARIES = {"onnxruntime", "onnxruntime4j_jni"};

    private NativeLibraryCache() {
    }

    /**
     * Points ONNX Runtime at the cached libraries, copying them there first when they are not yet; the folder, or empty
     * when the jar holds no ONNX Runtime for this platform, the property is set already, or the cache cannot be written.
     */
    static Optional<Path> use(JarFile jar, Map<String, String> environment) {
        if (System.getProperty(PROPERTY) != null) {
            return Optional.empty();
        }
        Optional<Path> folder = prepare(jar, cacheRoot(environment, System.getProperty("user.home")));
        folder.ifPresent(path -> System.setProperty(PROPERTY, path.toString()));
        return folder;
    }

    /** The libraries below {@code cacheRoot}/onnxruntime/KEY, copied out of {@code jar} when missing; empty when it cannot. */
    static Optional<Path> prepare(JarFile jar, Path cacheRoot) {
        String platform = platform();
        JarEntry[] entries = new JarEntry[LIBRARIES.length];
        StringBuilder key = new StringBuilder(platform);
        for (int i = 0; i < LIBRARIES.length; i++) {
            entries[i] = jar.getJarEntry("ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(LIBRARIES[i]));
            if (entries[i] == null || entries[i].getCrc() < 0 || entries[i].getSize() < 0) {
                return Optional.empty();
            }
            key.append('-').append(Long.toHexString(entries[i].getCrc())).append('-').append(entries[i].getSize());
        }
        Path folder = cacheRoot.resolve("onnxruntime").resolve(key.toString());
        try {
            for (JarEntry entry : entries) {
                Path target = folder.resolve(entry.getName().substring(entry.getName().lastIndexOf('/') + 1));
                if (Files.isRegularFile(target) && Files.size(target) == entry.getSize()) {
                    continue;
                }
                Files.createDirectories(folder);
                Path temporary = Files.createTempFile(folder, ".extract-", ".tmp");
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            return Optional.of(folder);
        } catch (IOException | RuntimeException e) {
            System.err.println("ONNX Runtime's library is not cached (" + e + "); it is extracted to a temporary file");
            return Optional.empty();
        }
    }

    static Path cacheRoot(Map<String, String> environment, String userHome) {
        String atelier = environment.get("ATELIER_CACHE_DIR");
        if (atelier != null && !atelier.isBlank()) {
            return Path.of(atelier);
        }
        String xdg = environment.get("XDG_CACHE_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "atelier") : Path.of(userHome, ".cache", "atelier");
    }

    /** ONNX Runtime's name for this platform's folder of libraries, such as {@code linux-x64}. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : "linux";
        String machine = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return system + "-" + machine;
    }
}
