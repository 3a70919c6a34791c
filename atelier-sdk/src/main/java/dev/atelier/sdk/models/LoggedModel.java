package dev.atelier.sdk.models;

import dev.atelier.api.mlmodel.MlModel;

import static java.util.Objects.requireNonNull;

/**
 * A model logged to a run.
 *
 * @param modelUri    {@code runs:/<run_id>/<artifact_path>}, the source to register it from
 *                    ({@code model-versions/create})
 * @param artifactUri where its files are: {@code <run artifact_uri>/<artifact_path>}
 * @param model       the {@code MLmodel} written, with the run, path, uuid and creation time
 */
public record LoggedModel(String runId, String artifactPath, String modelUri, String artifactUri, MlModel model) {
    public LoggedModel {
        requireNonNull(runId, "runId is null");
        requireNonNull(artifactPath, "artifactPath is null");
        requireNonNull(modelUri, "modelUri is null");
        requireNonNull(artifactUri, "artifactUri is null");
        requireNonNull(model, "model is null");
    }
}
