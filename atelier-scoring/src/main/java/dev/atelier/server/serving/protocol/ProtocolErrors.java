package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.util.Optional;

/**
 * Error answers in each protocol's shape: the Open Inference Protocol's {@code {"error": "..."}}, and
 * MLflow's {@code {"error_code", "message"}} (plus {@code request_id} when known) for {@code /invocations}
 * and {@code /score}. Shared by the server's endpoints and the model packages' server so that both
 * answer a bad request alike. Stateless.
 */
public final class ProtocolErrors {
    private ProtocolErrors() {
    }

    /** The answer to a refused request: its status and code, as MLflow's clients read them ({@code BAD_REQUEST} for a bad value). */
    public static ScoringResponse refused(ScoringProtocol protocol, AtelierException error, Optional<String> requestId) {
        String code = error.errorCode() == ErrorCode.INVALID_PARAMETER_VALUE && protocol != ScoringProtocol.OPEN_INFERENCE
                ? "BAD_REQUEST" : error.errorCode().name();
        return response(protocol, error.httpStatus(), code, message(error), requestId);
    }

    /** An answer with the given status, error code and message. */
    public static ScoringResponse response(ScoringProtocol protocol, int status, String code, String message, Optional<String> requestId) {
        byte[] body = ProtocolJson.write(generator -> {
            generator.writeStartObject();
            if (protocol == ScoringProtocol.OPEN_INFERENCE) {
                generator.writeStringField("error", message);
            } else {
                generator.writeStringField("error_code", code);
                generator.writeStringField("message", message);
            }
            if (requestId.isPresent()) {
                generator.writeStringField("request_id", requestId.get());
            }
            generator.writeEndObject();
        });
        return new ScoringResponse(status, "application/json", body);
    }

    /** An exception's message, or its name when it has none. */
    public static String message(Throwable error) {
        return error.getMessage() == null ? error.toString() : error.getMessage();
    }
}
