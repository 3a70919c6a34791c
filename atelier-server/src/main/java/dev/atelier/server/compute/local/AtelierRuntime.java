package dev.atelier.server.compute.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The built-in {@code atelier} environment on the local target: the server's own Java runtime and classpath, so that
 * Atelier's workloads written in Java (AutoML, the designer's built-in components) run sandboxed like any user code.
 * The classpath (with the jars a jar's manifest {@code Class-Path} names) is staged once per content below the work
 * root, hard-linked where the file system allows and copied otherwise: the sandbox's unprivileged user may not be able
 * to reach the originals (a Maven repository under a private home folder). The runtime is bound where it is when every
 * folder above it is traversable by others, and staged the same way otherwise. Thread-safe: preparing is serialised.
 */
final class AtelierRuntime {
    static final String FOLDER = "atelier-runtime";
    private final Path root;
    private final Path javaHome;
    private final List<Path> classpath;
    private PreparedEnvironment prepared;

    AtelierRuntime(Path root) {
        this(root, Path.of(System.getProperty("java.home")), serverClasspath());
    }

    AtelierRuntime(Path root, Path javaHome, List<Path> classpath) {
        this.root = requireNonNull(root, "root is null");
        this.javaHome = requireNonNull(javaHome, "javaHome is null");
        this.classpath = List.copyOf(classpath);
    }

    /** The environment, staged on first use (and again when the classpath's files changed since). */
    synchronized PreparedEnvironment prepare() {
        try {
            String digest = digest();
            if (prepared != null && prepared.digest().equals(digest)) {
                return prepared;
            }
            LocalCompute.createTraversable(root);
            Path folder = root.resolve(digest.substring(0, 16));
            Folders.deleteQuietly(folder);
            Files.createDirectories(folder);
            List<String> entries = new ArrayList<>();
            int index = 0;
            for (Path entry : classpath) {
                Path staged = folder.resolve("cp").resolve(index++ + "-" + entry.getFileName());
                stage(entry, staged);
                entries.add(staged.toString());
            }
            Path java = reachable(javaHome) ? javaHome : stageInto(javaHome, folder.resolve("jdk"));
            publish(folder);
            List<Path> readOnly = java.equals(javaHome) ? List.of(folder, javaHome) : List.of(folder);
            prepared = new PreparedEnvironment(readOnly, java.resolve("bin"), Map.of("JAVA_HOME", java.toString(),
                    "CLASSPATH", String.join(File.pathSeparator, entries)), digest);
            return prepared;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stage the atelier environment below " + root, e);
        }
    }

    /** Deletes what was staged (a server that stops leaves no copy behind; the next one stages again). */
    synchronized void delete() {
        Folders.deleteQuietly(root);
        prepared = null;
    }

    /** The server's classpath, with the entries of every jar's manifest {@code Class-Path} (the launcher's {@code -jar}). */
    static List<Path> serverClasspath() {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addWithManifest(Path.of(entry).toAbsolutePath().normalize(), entries);
            }
        }
        return List.copyOf(entries);
    }

    private static void addWithManifest(Path entry, Set<Path> entries) {
        if (!Files.exists(entry) || !entries.add(entry) || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            var manifest = jar.getManifest();
            String named = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (named != null) {
                for (String relative : named.trim().split("\\s+")) {
                    addWithManifest(entry.resolveSibling(relative).normalize(), entries);
                }
            }
        } catch (IOException e) {
            // not a jar: kept as it is, without manifest entries
        }
    }

    /** A digest of every entry's path, size and modification time (a folder's: of each file in it). */
    private String digest() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(javaHome.toString().getBytes(StandardCharsets.UTF_8));
            for (Path entry : classpath) {
                try (Stream<Path> files = Files.walk(entry)) {
                    for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                        if (Files.isRegularFile(file)) {
                            sha.update((file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis() + "\n")
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path stageInto(Path source, Path target) throws IOException {
        stage(source, target);
        return target;
    }

    /** Links (or copies) a file, or a folder's tree with its symbolic links kept as links. */
    private static void stage(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Path to = target.resolve(source.relativize(path).toString());
                if (Files.isSymbolicLink(path)) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(path));
                } else if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    try {
                        Files.createLink(to, path);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(path, to);
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Folders 0755 (links keep their files' own modes, readable by all in a JDK or a Maven repository). */
    private static void publish(Path folder) throws IOException {
        if (!folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    /** Whether others can traverse every folder above {@code path} (and {@code path} itself). */
    private static boolean reachable(Path path) throws IOException {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return true;
        }
        for (Path folder = path.toRealPath(); folder != null; folder = folder.getParent()) {
            if (!Files.getPosixFilePermissions(folder).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }
}
