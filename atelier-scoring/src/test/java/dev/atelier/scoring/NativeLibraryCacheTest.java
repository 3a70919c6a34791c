package dev.atelier.scoring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class NativeLibraryCacheTest {
    @TempDir
    Path dir;

    @Test
    void theLibrariesAreCopiedOnceIntoAFolderKeyedByTheirChecksums() throws IOException {
        Path jar = jar("one", "runtime library", "jni library");
        Path cache = dir.resolve("cache");

        Optional<Path> first;
        try (JarFile file = new JarFile(jar.toFile())) {
            first = NativeLibraryCache.prepare(file, cache);
        }
        assertThat(first).isPresent();
        Path library = first.get().resolve(System.mapLibraryName("onnxruntime"));
        assertThat(library).hasContent("runtime library");
        assertThat(first.get().resolve(System.mapLibraryName("onnxruntime4j_jni"))).hasContent("jni library");
        assertThat(first.get().getParent()).isEqualTo(cache.resolve("onnxruntime"));
        Files.setLastModifiedTime(library, FileTime.fromMillis(0));

        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(NativeLibraryCache.prepare(file, cache)).isEqualTo(first);
        }
        assertThat(Files.getLastModifiedTime(library).toMillis()).as("a cached library is not copied again").isZero();

        try (JarFile other = new JarFile(jar("two", "another runtime", "jni library").toFile())) {
            Optional<Path> second = NativeLibraryCache.prepare(other, cache);
            assertThat(second).isPresent().isNotEqualTo(first);
            assertThat(second.get().resolve(System.mapLibraryName("onnxruntime"))).hasContent("another runtime");
        }
    }

    @Test
    void aJarWithoutOnnxRuntimeOrACacheThatCannotBeWrittenLeavesTheStartAsItWas() throws IOException {
        Path empty = dir.resolve("empty.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new ZipEntry("model/MLmodel"));
            out.write("flavors: {}\n".getBytes(StandardCharsets.UTF_8));
        }
        try (JarFile file = new JarFile(empty.toFile())) {
            assertThat(NativeLibraryCache.prepare(file, dir.resolve("cache"))).isEmpty();
        }
        Path notAFolder = Files.writeString(dir.resolve("a-file"), "x");
        try (JarFile file = new JarFile(jar("three", "runtime", "jni").toFile())) {
            assertThat(NativeLibraryCache.prepare(file, notAFolder)).isEmpty();
        }
    }

    @Test
    void theCacheIsAtelierCacheDirElseXdgCacheHomeElseTheHomeFolders() {
        assertThat(NativeLibraryCache.cacheRoot(Map.of("ATELIER_CACHE_DIR", "/c", "XDG_CACHE_HOME", "/x"), "/home/u")).isEqualTo(Path.of("/c"));
        assertThat(NativeLibraryCache.cacheRoot(Map.of("XDG_CACHE_HOME", "/x"), "/home/u")).isEqualTo(Path.of("/x", "atelier"));
        assertThat(NativeLibraryCache.cacheRoot(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u", ".cache", "atelier"));
    }

    private Path jar(String name, String runtime, String jni) throws IOException {
        Path jar = dir.resolve(name + ".jar");
        String folder = "ai/onnxruntime/native/" + NativeLibraryCache.platform() + "/";
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            write(out, folder + System.mapLibraryName("onnxruntime"), runtime);
            write(out, folder + System.mapLibraryName("onnxruntime4j_jni"), jni);
        }
        return jar;
    }

    private static void write(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        OutputStream stream = out;
        stream.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
