package dev.atelier.server.serving;

import dev.atelier.api.AtelierException;
import dev.atelier.server.serving.protocol.ProtocolErrors;
import dev.atelier.server.serving.protocol.ScoringProtocol;
import dev.atelier.server.serving.protocol.ScoringResponse;

import java.util.Optional;

/**
 * Error answers of the scoring routes, in each protocol's shape ({@link ProtocolErrors}): a
 * {@link ScoringFailure}'s status and code, an {@link AtelierException}'s, or a 500 {@code MODEL_ERROR}.
 */
final class ScoringErrors {
    private ScoringErrors() {
    }

    static ScoringResponse response(ScoringProtocol protocol, RuntimeException error, String requestId) {
        Optional<String> id = Optional.ofNullable(requestId);
        return switch (error) {
            case ScoringFailure failure -> ProtocolErrors.response(protocol, failure.status(), failure.errorCode(), ProtocolErrors.message(failure), id);
            case AtelierException atelier -> ProtocolErrors.refused(protocol, atelier, id);
            default -> ProtocolErrors.response(protocol, 500, "MODEL_ERROR", ProtocolErrors.message(error), id);
        };
    }
}
