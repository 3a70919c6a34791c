package dev.atelier.server.serving.protocol;

import static java.util.Objects.requireNonNull;

/** What a deployment answered: status, content type and body, sent to the client as they are. */
public record ScoringResponse(int status, String contentType, byte[] body) {
    public ScoringResponse {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
    }

    public static ScoringResponse json(byte[] body) {
        return new ScoringResponse(200, "application/json", body);
    }
}
