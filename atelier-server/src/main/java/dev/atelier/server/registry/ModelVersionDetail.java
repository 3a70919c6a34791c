package dev.atelier.server.registry;

import dev.atelier.server.artifacts.FileInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A model version as the native API shows it: MLflow's fields, where to download it, its lineage,
 * its files (every file, paths relative to the model's folder) and, from its {@code MLmodel},
 * flavors and signature. {@code downloadUri}, {@code files}, {@code flavors} and {@code signature}
 * are absent while the version is not READY.
 */
public record ModelVersionDetail(
        ModelVersion modelVersion,
        String downloadUri,
        Lineage lineage,
        List<FileInfo> files,
        Map<String, Object> flavors,
        Object signature) {

    public ModelVersionDetail {
        requireNonNull(modelVersion, "modelVersion is null");
        requireNonNull(lineage, "lineage is null");
        files = List.copyOf(files);
    }

    /**
     * Where a version came from. {@code runAvailable} is false when the run was deleted for good
     * (the registry's copy of the files lives on); then only {@code runId} is known.
     */
    public record Lineage(String runId, boolean runAvailable, String runName, String runStatus, String experimentId,
                          String experimentName, List<DatasetInput> datasets) {
        public Lineage {
            datasets = List.copyOf(datasets);
        }

        static Lineage none() {
            return new Lineage(null, false, null, null, null, null, List.of());
        }
    }

    /** A dataset the run logged with MLflow's log-inputs, and the context it was used in ({@code training}, {@code eval}...). */
    public record DatasetInput(String name, String digest, String sourceType, String source, String context) {
        public DatasetInput {
            requireNonNull(name, "name is null");
        }
    }

    static ModelVersionDetail of(ModelVersion version, Optional<ModelFiles> files, Lineage lineage, List<FileInfo> listing,
                                 Optional<ModelDescription> description) {
        return new ModelVersionDetail(version, files.map(ModelFiles::artifactUri).orElse(null), lineage, listing,
                description.map(ModelDescription::flavors).orElse(null), description.flatMap(ModelDescription::signature).orElse(null));
    }
}
