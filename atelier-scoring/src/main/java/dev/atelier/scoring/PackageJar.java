package dev.atelier.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Writes a model package's jar: this module's classes and its runtime jars flattened into one
 * executable jar ({@link PackagedServer} as its main class) — only the runtime jars the model's flavor needs
 * ({@link #needed}) — the model's files under
 * {@value PackagedModel#MODEL_FOLDER} and its description ({@link PackagedModel#PATH}). Where two jars
 * hold the same entry the first wins, except {@code META-INF/services} files, whose lines are merged;
 * jar signatures, manifests and {@code module-info} classes are left out (the flattened jar is neither
 * signed nor a module). Stateless.
 */
public final class PackageJar {
    private PackageJar() {
    }

    /**
     * Writes the jar to {@code target} (through a temporary file beside it, moved into place once complete).
     *
     * @param modelFolder a model in the MLmodel layout
     * @throws IOException when a file cannot be read or {@code target} cannot be written
     */
    public static void write(Path modelFolder, PackagedModel model, Path target) throws IOException {
        List<Path> classpath = ScoringClasspath.locate(jar -> needed(model.flavor(), jar.groupId()));
        Path partial = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".partial");
        try {
            try (JarOutputStream out = new JarOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(partial), 1 << 16),
                    manifest())) {
                // Most of the bytes are native libraries that compress little: the fastest level costs a few
                // percent of size and saves most of the time.
                out.setLevel(java.util.zip.Deflater.BEST_SPEED);
                Set<String> written = new HashSet<>();
                Map<String, Set<String>> services = new LinkedHashMap<>();
                written.add(JarFile.MANIFEST_NAME);
                parents(out, written, PackagedModel.PATH);
                entry(out, written, PackagedModel.PATH, stream -> model.write(stream));
                addModel(out, written, modelFolder);
                for (Path element : classpath) {
                    if (Files.isDirectory(element)) {
                        addFolder(out, written, services, element);
                    } else {
                        addJar(out, written, services, element);
                    }
                }
                for (Map.Entry<String, Set<String>> service : services.entrySet()) {
                    byte[] lines = (String.join("\n", service.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
                    entry(out, written, service.getKey(), stream -> stream.write(lines));
                }
            }
            Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The groups of XGBoost's jar and of the libraries only it needs (Scala, Kryo and what Kryo needs). */
    private static final Set<String> XGBOOST_GROUPS = Set.of("ml.dmlc", "org.scala-lang", "org.scala-lang.modules", "com.esotericsoftware",
            "org.objenesis");
    private static final String ONNX_RUNTIME_GROUP = "com.microsoft.onnxruntime";

    /**
     * Whether a runtime jar (by Maven group) is needed to serve a model of {@code flavor}: XGBoost and its libraries
     * only for {@code xgboost} (and AutoML's models, which may hold any runtime's), ONNX Runtime for everything but
     * {@code xgboost} (Tribuo's models may be ONNX-backed). The runtimes' classes in this module are loaded only when a
     * model of their flavor is, so a jar without another flavor's runtime serves its own flavor the same.
     */
    static boolean needed(String flavor, String group) {
        return switch (flavor) {
            case "xgboost" -> !group.equals(ONNX_RUNTIME_GROUP);
            case "atelier_automl" -> true;
            default -> !XGBOOST_GROUPS.contains(group);
        };
    }

    private static Manifest manifest() {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.put(Attributes.Name.MAIN_CLASS, PackagedServer.class.getName());
        // Jackson's jars are multi-release; ONNX Runtime and XGBoost load native code (JDK 22+ asks for the grant).
        attributes.put(Attributes.Name.MULTI_RELEASE, "true");
        attributes.putValue("Enable-Native-Access", "ALL-UNNAMED");
        attributes.putValue("Created-By", "Atelier (atelier models package)");
        return manifest;
    }

    private static void addModel(JarOutputStream out, Set<String> written, Path modelFolder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(modelFolder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        directory(out, written, PackagedModel.MODEL_FOLDER);
        for (Path file : files) {
            String name = PackagedModel.MODEL_FOLDER + modelFolder.relativize(file).toString().replace('\\', '/');
            parents(out, written, name);
            entry(out, written, name, stream -> Files.copy(file, stream));
        }
    }

    private static void addJar(JarOutputStream out, Set<String> written, Map<String, Set<String>> services, Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || leftOut(name)) {
                    continue;
                }
                if (isService(name)) {
                    try (InputStream in = file.getInputStream(entry)) {
                        serviceLines(services, name, in.readAllBytes());
                    }
                    continue;
                }
                if (written.contains(name)) {
                    continue;
                }
                parents(out, written, name);
                try (InputStream in = file.getInputStream(entry)) {
                    entry(out, written, name, stream -> in.transferTo(stream));
                }
            }
        }
    }

    private static void addFolder(JarOutputStream out, Set<String> written, Map<String, Set<String>> services, Path folder)
            throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = folder.relativize(file).toString().replace('\\', '/');
            if (leftOut(name)) {
                continue;
            }
            if (isService(name)) {
                serviceLines(services, name, Files.readAllBytes(file));
            } else if (!written.contains(name)) {
                parents(out, written, name);
                entry(out, written, name, stream -> Files.copy(file, stream));
            }
        }
    }

    /** Manifests, signatures, module descriptors and jar indexes of the flattened jars. */
    static boolean leftOut(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        if (upper.equals("META-INF/MANIFEST.MF") || upper.equals("META-INF/INDEX.LIST") || name.endsWith("module-info.class")) {
            return true;
        }
        return upper.startsWith("META-INF/") && upper.indexOf('/', "META-INF/".length()) < 0
                && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")
                || upper.startsWith("META-INF/SIG-"));
    }

    private static boolean isService(String name) {
        return name.startsWith("META-INF/services/") && name.indexOf('/', "META-INF/services/".length()) < 0;
    }

    private static void serviceLines(Map<String, Set<String>> services, String name, byte[] content) {
        Set<String> lines = services.computeIfAbsent(name, key -> new LinkedHashSet<>());
        for (String line : new String(content, StandardCharsets.UTF_8).split("\\R")) {
            String provider = line.replaceFirst("#.*", "").strip();
            if (!provider.isEmpty()) {
                lines.add(provider);
            }
        }
    }

    private static void parents(JarOutputStream out, Set<String> written, String name) throws IOException {
        List<String> missing = new ArrayList<>();
        for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
            missing.add(name.substring(0, slash + 1));
        }
        for (String directory : missing) {
            directory(out, written, directory);
        }
    }

    private static void directory(JarOutputStream out, Set<String> written, String name) throws IOException {
        if (written.add(name)) {
            out.putNextEntry(new JarEntry(name));
            out.closeEntry();
        }
    }

    @FunctionalInterface
    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static void entry(JarOutputStream out, Set<String> written, String name, Content content) throws IOException {
        written.add(name);
        out.putNextEntry(new JarEntry(name));
        content.writeTo(out);
        out.closeEntry();
    }
}
