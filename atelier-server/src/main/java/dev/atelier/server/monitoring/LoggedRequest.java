package dev.atelier.server.monitoring;

import dev.atelier.server.models.ModelInput;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A sampled scoring request waiting in {@link EndpointRequestLog}'s buffer. The bodies are the
 * router's arrays, not copies: the router does not change them after answering.
 */
record LoggedRequest(String workspace, String endpoint, String deployment, Optional<ModelInput> input, byte[] requestBody,
                     String contentType, byte[] responseBody, long epochMillis, String requestId) {
    LoggedRequest {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(deployment, "deployment is null");
        requireNonNull(input, "input is null");
        requireNonNull(requestBody, "requestBody is null");
        requireNonNull(contentType, "contentType is null");
        requireNonNull(responseBody, "responseBody is null");
        requireNonNull(requestId, "requestId is null");
    }
}
