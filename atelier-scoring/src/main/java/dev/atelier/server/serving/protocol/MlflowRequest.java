package dev.atelier.server.serving.protocol;

import dev.atelier.server.models.ModelInput;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A parsed MLflow scoring request.
 *
 * @param input  the batch, already checked and converted against the model's signature
 * @param params MLflow's optional inference {@code params} as sent (values are plain JSON values); empty when none
 */
public record MlflowRequest(ModelInput input, Map<String, Object> params) {
    public MlflowRequest {
        requireNonNull(input, "input is null");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(params, "params is null")));
    }
}
