package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A model version as the native API details it: where to download it, the run, experiment and
 * datasets it came from, its files, and the flavors and signature of its {@code MLmodel}.
 *
 * @param downloadUri the {@code mlflow-artifacts:} location of its files; empty while it is not READY
 * @param files       every file, path relative to the model's folder
 * @param json        the detail exactly as the server sent it ({@code lineage}, {@code flavors}, {@code signature})
 */
public record ModelVersionDetail(ModelVersion version, Optional<String> downloadUri, Lineage lineage, List<ModelFile> files,
                                 JsonNode json) {
    public ModelVersionDetail {
        requireNonNull(version, "version is null");
        requireNonNull(downloadUri, "downloadUri is null");
        requireNonNull(lineage, "lineage is null");
        files = List.copyOf(files);
        requireNonNull(json, "json is null");
    }

    /** A file of a model version and its size in bytes. */
    public record ModelFile(String path, long size) {
        public ModelFile {
            requireNonNull(path, "path is null");
        }
    }

    /** The run a version came from; {@code runAvailable} is false once the run was deleted for good. */
    public record Lineage(Optional<String> runId, boolean runAvailable, Optional<String> experimentId, Optional<String> experimentName,
                          List<String> datasets) {
        public Lineage {
            requireNonNull(runId, "runId is null");
            requireNonNull(experimentId, "experimentId is null");
            requireNonNull(experimentName, "experimentName is null");
            datasets = List.copyOf(datasets);
        }
    }

    static ModelVersionDetail fromJson(JsonNode node) {
        List<ModelFile> files = new ArrayList<>();
        node.path("files").forEach(file -> files.add(new ModelFile(JsonFields.text(file, "path"), JsonFields.longValue(file, "file_size"))));
        JsonNode lineage = node.path("lineage");
        List<String> datasets = new ArrayList<>();
        lineage.path("datasets").forEach(dataset -> datasets.add(JsonFields.text(dataset, "name")));
        return new ModelVersionDetail(ModelVersion.fromJson(node.path("model_version")), JsonFields.optionalText(node, "download_uri"),
                new Lineage(JsonFields.optionalText(lineage, "run_id"), JsonFields.bool(lineage, "run_available"),
                        JsonFields.optionalText(lineage, "experiment_id"), JsonFields.optionalText(lineage, "experiment_name"), datasets),
                files, node);
    }
}
