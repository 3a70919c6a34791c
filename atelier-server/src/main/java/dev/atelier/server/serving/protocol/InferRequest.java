package dev.atelier.server.serving.protocol;

import dev.atelier.server.models.ModelInput;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A parsed Open Inference Protocol inference request.
 *
 * @param id         the request's {@code id}, echoed in the response
 * @param parameters the request's {@code parameters} as sent (plain JSON values); empty when none
 * @param input      the inputs, already checked and converted against the model's signature
 * @param outputs    the names of the requested {@code outputs}; empty for all of them
 */
public record InferRequest(Optional<String> id, Map<String, Object> parameters, ModelInput input, List<String> outputs) {
    public InferRequest {
        requireNonNull(id, "id is null");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(parameters, "parameters is null")));
        requireNonNull(input, "input is null");
        outputs = List.copyOf(requireNonNull(outputs, "outputs is null"));
    }
}
