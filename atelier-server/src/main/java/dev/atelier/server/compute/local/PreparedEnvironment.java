package dev.atelier.server.compute.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * An environment ready for workloads: the host paths it needs bound read-only into the sandbox, its {@code bin} folder
 * (first on their PATH) and the variables it sets. A built python environment ({@link PythonEnvironments}) is its
 * folder with {@code VIRTUAL_ENV}; the built-in atelier environment ({@link AtelierRuntime}) is the server's JRE and
 * classpath with {@code JAVA_HOME} and {@code CLASSPATH}.
 */
public record PreparedEnvironment(List<Path> readOnly, Path bin, Map<String, String> variables, String digest) {
    public PreparedEnvironment {
        readOnly = List.copyOf(readOnly);
        requireNonNull(bin, "bin is null");
        variables = Map.copyOf(variables);
        requireNonNull(digest, "digest is null");
    }

    /** A built python environment in {@code folder}. */
    static PreparedEnvironment python(Path folder, String digest) {
        return new PreparedEnvironment(List.of(folder), folder.resolve("bin"), Map.of("VIRTUAL_ENV", folder.toString()), digest);
    }

    /** {@code workload} running in this environment: its paths readable, {@code bin} first on PATH, its variables set. */
    public Workload applyTo(Workload workload) {
        List<Path> readOnlyFolders = new ArrayList<>(workload.readOnlyFolders());
        readOnlyFolders.addAll(readOnly);
        List<Path> prefix = new ArrayList<>(List.of(bin));
        prefix.addAll(workload.pathPrefix());
        Map<String, String> merged = new LinkedHashMap<>(workload.variables());
        merged.putAll(variables);
        return new Workload(workload.name(), workload.kind(), workload.command(), workload.folder(), workload.workingDir(), merged,
                readOnlyFolders, prefix, workload.writableFolders());
    }
}
