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
 * @param id                  the request's {@code id}, echoed in the response
 * @param parameters          the request's {@code parameters} as sent (plain JSON values); empty when none
 * @param input               the inputs, already checked and converted against the model's signature
 * @param outputs             the names of the requested {@code outputs}; empty for all of them
 * @param binaryOutputs       the outputs whose {@code parameters} set {@code binary_data}, and to what
 * @param binaryOutputDefault the request's {@code binary_data_output}: whether outputs not named in
 *                            {@code binaryOutputs} are answered as binary data
 */
public record InferRequest(Optional<String> id, Map<String, Object> parameters, ModelInput input, List<String> outputs,
                           Map<String, Boolean> binaryOutputs, boolean binaryOutputDefault) {
    public InferRequest {
        requireNonNull(id, "id is null");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(parameters, "parameters is null")));
        requireNonNull(input, "input is null");
        outputs = List.copyOf(requireNonNull(outputs, "outputs is null"));
        binaryOutputs = Map.copyOf(requireNonNull(binaryOutputs, "binaryOutputs is null"));
    }

    /** Whether the output is answered as binary data after the JSON header. */
    public boolean binaryOutput(String name) {
        return binaryOutputs.getOrDefault(name, binaryOutputDefault);
    }

    /**
     * Whether the response may carry binary data, and so must be sent as {@code application/octet-stream}
     * with an {@code Inference-Header-Content-Length} header ({@link OpenInference#jsonHeaderLength}).
     */
    public boolean binaryResponse() {
        return binaryOutputDefault || binaryOutputs.containsValue(true);
    }
}
