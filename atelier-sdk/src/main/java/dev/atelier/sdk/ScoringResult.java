package dev.atelier.sdk;

import dev.atelier.api.AtelierException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * An endpoint's answer to a scoring request, whatever its status: a model's 4xx (input that does not fit its
 * signature) or 5xx (a model error, with a request id) is an answer the caller may want to read.
 */
public record ScoringResult(int status, String contentType, byte[] body, String request) {
    public ScoringResult {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
        requireNonNull(request, "request is null");
    }

    public boolean isSuccess() {
        return status / 100 == 2;
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** This result when it is a success; otherwise the {@link AtelierException} its error body describes. */
    public ScoringResult orThrow() {
        if (!isSuccess()) {
            throw HttpTransport.error(status, body, request);
        }
        return this;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScoringResult that && status == that.status && contentType.equals(that.contentType)
                && Arrays.equals(body, that.body) && request.equals(that.request);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(status, contentType, request) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "ScoringResult[status=" + status + ", contentType=" + contentType + ", " + body.length + " bytes, request=" + request + "]";
    }
}
