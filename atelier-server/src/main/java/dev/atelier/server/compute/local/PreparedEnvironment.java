package dev.atelier.server.compute.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A built python environment, ready for workloads: its folder (bound read-only into the sandbox) and its {@code bin}
 * folder (first on their PATH, so {@code python} and {@code pip} are the environment's).
 */
public record PreparedEnvironment(Path folder, Path bin, String digest) {
    public PreparedEnvironment {
        requireNonNull(folder, "folder is null");
        requireNonNull(bin, "bin is null");
        requireNonNull(digest, "digest is null");
    }

    /** {@code workload} running in this environment: the folder readable, {@code bin} first on PATH, {@code VIRTUAL_ENV} set. */
    public Workload applyTo(Workload workload) {
        List<Path> readOnly = new ArrayList<>(workload.readOnlyFolders());
        readOnly.add(folder);
        List<Path> prefix = new ArrayList<>(List.of(bin));
        prefix.addAll(workload.pathPrefix());
        Map<String, String> variables = new LinkedHashMap<>(workload.variables());
        variables.put("VIRTUAL_ENV", folder.toString());
        return new Workload(workload.name(), workload.kind(), workload.command(), workload.folder(), workload.workingDir(), variables,
                readOnly, prefix, workload.writableFolders());
    }
}
