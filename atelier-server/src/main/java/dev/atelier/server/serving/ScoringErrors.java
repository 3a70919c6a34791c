package dev.atelier.server.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.serving.protocol.ScoringResponse;

/**
 * Error answers of the scoring routes, in each protocol's shape: the Open Inference Protocol's
 * {@code {"error": "..."}}, and MLflow's {@code {"error_code", "message"}} (plus {@code request_id})
 * for {@code /invocations} and {@code /score}.
 */
final class ScoringErrors {
    private ScoringErrors() {
    }

    static ScoringResponse response(ScoringProtocol protocol, RuntimeException error, String requestId) {
        int status;
        String code;
        if (error instanceof ScoringFailure failure) {
            status = failure.status();
            code = failure.errorCode();
        } else if (error instanceof AtelierException atelier) {
            status = atelier.httpStatus();
            code = atelier.errorCode() == dev.atelier.api.ErrorCode.INVALID_PARAMETER_VALUE && protocol != ScoringProtocol.OPEN_INFERENCE
                    ? "BAD_REQUEST" : atelier.errorCode().name();
        } else {
            status = 500;
            code = "MODEL_ERROR";
        }
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        ObjectNode body = Json.mapper().createObjectNode();
        if (protocol == ScoringProtocol.OPEN_INFERENCE) {
            body.put("error", message);
        } else {
            body.put("error_code", code).put("message", message);
        }
        if (requestId != null) {
            body.put("request_id", requestId);
        }
        try {
            return new ScoringResponse(status, "application/json", Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
