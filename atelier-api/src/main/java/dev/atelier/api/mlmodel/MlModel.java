package dev.atelier.api.mlmodel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The content of MLflow's {@code MLmodel} file (mlflow/models/model.py, {@code Model.to_dict}): the
 * flavors a model can be loaded as, each with its own configuration, and what MLflow records about
 * where and when it was saved. {@link MlModelYaml} reads and writes it.
 *
 * @param artifactPath the path under the run's artifacts the model was logged to
 * @param flavors flavor name ({@code python_function}, {@code sklearn}, {@code onnx}, {@code xgboost},
 *                {@code tribuo}...) to its configuration as parsed from YAML (values may be null)
 * @param utcTimeCreated as MLflow writes it: {@code 2024-05-01 12:00:00.000000}
 * @param other top-level keys this record does not name ({@code model_size_bytes}, {@code metadata},
 *              {@code databricks_runtime}, {@code model_id}...), kept so that writing the file back
 *              loses nothing
 */
public record MlModel(
        Optional<String> artifactPath,
        Map<String, Map<String, Object>> flavors,
        Optional<String> runId,
        Optional<String> modelUuid,
        Optional<String> utcTimeCreated,
        Optional<String> mlflowVersion,
        Optional<ModelSignature> signature,
        Optional<InputExampleInfo> savedInputExampleInfo,
        Map<String, Object> other) {

    /** The file name MLflow gives the description of a model directory. */
    public static final String FILE_NAME = "MLmodel";
    public static final String PYTHON_FUNCTION = "python_function";

    public MlModel {
        requireNonNull(artifactPath, "artifactPath is null");
        requireNonNull(flavors, "flavors is null");
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        flavors.forEach((name, config) -> copy.put(requireNonNull(name, "flavor name is null"),
                Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(config, "flavor config is null")))));
        flavors = Collections.unmodifiableMap(copy);
        requireNonNull(runId, "runId is null");
        requireNonNull(modelUuid, "modelUuid is null");
        requireNonNull(utcTimeCreated, "utcTimeCreated is null");
        requireNonNull(mlflowVersion, "mlflowVersion is null");
        requireNonNull(signature, "signature is null");
        requireNonNull(savedInputExampleInfo, "savedInputExampleInfo is null");
        other = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(other, "other is null")));
    }

    /** The configuration of {@code flavor}, when the model has it. */
    public Optional<Map<String, Object>> flavor(String flavor) {
        return Optional.ofNullable(flavors.get(requireNonNull(flavor, "flavor is null")));
    }

    /** A text value of a flavor's configuration, such as the {@code data} file of {@code onnx}. */
    public Optional<String> flavorText(String flavor, String key) {
        return flavor(flavor).map(config -> config.get(key)).filter(String.class::isInstance).map(String.class::cast);
    }

    public boolean hasFlavor(String flavor) {
        return flavors.containsKey(requireNonNull(flavor, "flavor is null"));
    }

    /** This model with the run it is logged to and the path under that run's artifacts. */
    public MlModel withRun(String newRunId, String newArtifactPath) {
        return new MlModel(Optional.of(newArtifactPath), flavors, Optional.of(newRunId), modelUuid, utcTimeCreated,
                mlflowVersion, signature, savedInputExampleInfo, other);
    }
}
