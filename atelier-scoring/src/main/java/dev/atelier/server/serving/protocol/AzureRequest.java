package dev.atelier.server.serving.protocol;

import dev.atelier.server.models.ModelInput;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A parsed Azure {@code /score} request.
 *
 * @param input  the batch, already checked and converted against the model's signature
 * @param params the optional {@code params} object as sent; empty when none
 * @param answer how the predictions are written back
 */
public record AzureRequest(ModelInput input, Map<String, Object> params, Answer answer) {
    public AzureRequest {
        requireNonNull(input, "input is null");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(params, "params is null")));
        requireNonNull(answer, "answer is null");
    }

    /** The form of the answer, which follows the form of the request. */
    public enum Answer {
        /** A bare JSON list of predictions, as Azure ML's MLflow no-code scoring answers {@code data} and {@code input_data}. */
        PREDICTIONS_LIST,
        /** {@code {"predictions": ...}}, MLflow's own answer to a request in MLflow's format. */
        MLFLOW
    }
}
