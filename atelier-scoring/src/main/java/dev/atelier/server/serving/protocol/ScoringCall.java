package dev.atelier.server.serving.protocol;

import static java.util.Objects.requireNonNull;

/**
 * One scoring request as it reached a deployment: the protocol it came in, its body and content
 * type, and the request id the answer and the logs carry.
 *
 * @param modelName the model name of an Open Inference Protocol path ({@code /v2/models/<name>/infer}); empty otherwise
 */
public record ScoringCall(ScoringProtocol protocol, String modelName, byte[] body, String contentType, String requestId) {
    public ScoringCall {
        requireNonNull(protocol, "protocol is null");
        requireNonNull(modelName, "modelName is null");
        requireNonNull(body, "body is null");
        requireNonNull(contentType, "contentType is null");
        requireNonNull(requestId, "requestId is null");
    }
}
