package dev.atelier.api.mlmodel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code saved_input_example_info} of an {@code MLmodel} file: where the input example is
 * ({@code input_example.json} by MLflow's default) and how it is encoded.
 *
 * @param type {@code dataframe}, {@code ndarray}, {@code json_object}, {@code sparse_matrix_csc}...
 * @param other the remaining keys as written ({@code pandas_orient}, {@code format},
 *              {@code serving_input_path}...), kept so that writing the file back loses nothing
 */
public record InputExampleInfo(String artifactPath, String type, Map<String, Object> other) {
    /** MLflow 2.17+ also saves the example in the scoring server's request format under this key. */
    public static final String SERVING_INPUT_PATH = "serving_input_path";

    public InputExampleInfo {
        requireNonNull(artifactPath, "artifactPath is null");
        requireNonNull(type, "type is null");
        other = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(other, "other is null")));
    }

    /** The file of the example in the scoring server's request format, when the model names one. */
    public Optional<String> servingInputPath() {
        return other.get(SERVING_INPUT_PATH) instanceof String path ? Optional.of(path) : Optional.empty();
    }
}
