package dev.atelier.scoring;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Where this module's classes and its runtime jars are in the running JVM: what a model package
 * flattens into its jar. The build lists the runtime jars ({@value #LIST}); they are found by file name on
 * {@code java.class.path} and in the {@code Class-Path} of its jars' manifests (the CLI's
 * {@code lib/}, or a test's classpath). A module built in the same reactor may be a classes folder
 * ({@code <artifact>/target/classes}). Stateless.
 */
final class ScoringClasspath {
    static final String LIST = "/dev/atelier/scoring/runtime-jars.txt";

    private ScoringClasspath() {
    }

    /**
     * This module's classes (a jar or a folder) first, then each runtime jar in the build's order.
     *
     * @throws IllegalStateException naming the jar when one is not on this JVM's classpath
     */
    static List<Path> locate() {
        return locate(jar -> true);
    }

    /** {@link #locate()} with only the runtime jars {@code keep} accepts (this module's classes always). */
    static List<Path> locate(java.util.function.Predicate<Jar> keep) {
        List<Path> found = new ArrayList<>();
        found.add(own());
        Map<String, Path> byName = classpathByName();
        for (Jar jar : listed()) {
            if (keep.test(jar)) {
                found.add(find(jar, byName));
            }
        }
        return List.copyOf(found);
    }

    /**
     * The classpath element of {@code jar}: the one of its artifact name when there is one, else the one with the
     * build's exact file name, else the one whose Maven metadata names its group (Jackson 2 and 3 both have a
     * {@code jackson-core}).
     */
    static Path find(Jar jar, Map<String, Path> byName) {
        List<Map.Entry<String, Path>> candidates = byName.entrySet().stream().filter(element -> jar.matches(element.getKey())).toList();
        if (candidates.size() == 1) {
            return candidates.getFirst().getValue();
        }
        return candidates.stream().filter(candidate -> candidate.getKey().equals(jar.fileName())).findFirst()
                .or(() -> candidates.stream().filter(candidate -> jar.isIn(candidate.getValue())).findFirst())
                .map(Map.Entry::getValue)
                .orElseThrow(() -> new IllegalStateException("cannot find " + jar.groupId() + ":" + jar.artifactId() + jar.classifier()
                        + ", a jar of the scoring server, on this program's classpath" + (candidates.isEmpty() ? ""
                        : " (candidates: " + candidates.stream().map(Map.Entry::getKey).toList() + ")")));
    }

    /**
     * A runtime jar by artifact (and classifier), whatever its version: the program that packages may have
     * resolved another version than this module's build did (Maven's nearest wins), and the package must run
     * the classes the server runs.
     */
    record Jar(String groupId, String artifactId, String classifier, String version, String extension) {
        /** Whether a classpath element's name, {@code <artifact>-<version><classifier>.<extension>} or a reactor module's
         * {@code <artifact>/target/classes}, is this jar's artifact. */
        boolean matches(String name) {
            if (name.equals(artifactId + "/target/classes")) {
                return classifier.isEmpty();
            }
            return name.length() > artifactId.length() + 1 && name.startsWith(artifactId + "-")
                    && Character.isDigit(name.charAt(artifactId.length() + 1)) && name.endsWith(classifier + "." + extension);
        }

        String fileName() {
            return artifactId + "-" + version + classifier + "." + extension;
        }

        /** Whether the jar's Maven metadata names this group and artifact. */
        boolean isIn(Path element) {
            if (!Files.isRegularFile(element)) {
                return false;
            }
            try (JarFile file = new JarFile(element.toFile())) {
                return file.getEntry("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties") != null;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static Path own() {
        try {
            return Path.of(ScoringClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The runtime jars, from the build's dependency list. */
    static List<Jar> listed() {
        try (InputStream in = ScoringClasspath.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the build");
            }
            List<Jar> jars = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                // "   groupId:artifactId:type[:classifier]:version:scope -- module name"
                String[] parts = line.replaceFirst(" -- .*", "").strip().split(":");
                if (parts.length == 5 || parts.length == 6) {
                    jars.add(new Jar(parts[0], parts[1], parts.length == 6 ? "-" + parts[3] : "", parts[parts.length - 2], parts[2]));
                }
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each classpath element by file name; a classes folder of a reactor module as {@code <artifact>/target/classes}. */
    private static Map<String, Path> classpathByName() {
        Map<String, Path> byName = new LinkedHashMap<>();
        for (String element : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!element.isBlank()) {
                add(byName, Path.of(element).toAbsolutePath(), 0);
            }
        }
        return byName;
    }

    private static void add(Map<String, Path> byName, Path path, int depth) {
        if (Files.isDirectory(path)) {
            if (path.endsWith(Path.of("target", "classes")) && path.getParent().getParent() != null) {
                byName.putIfAbsent(path.getParent().getParent().getFileName() + "/target/classes", path);
            }
            return;
        }
        if (!Files.isRegularFile(path) || byName.putIfAbsent(path.getFileName().toString(), path) != null || depth > 1) {
            return;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null) {
                return;
            }
            for (String entry : classPath.strip().split("\\s+")) {
                Path resolved = entry.startsWith("file:") ? Path.of(java.net.URI.create(entry)) : path.resolveSibling(entry);
                add(byName, resolved.toAbsolutePath().normalize(), depth + 1);
            }
        } catch (IOException | IllegalArgumentException e) {
            // not a jar, or an entry that is no path: nothing more to find there
        }
    }
}
