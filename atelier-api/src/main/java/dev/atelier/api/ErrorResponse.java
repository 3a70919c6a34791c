package dev.atelier.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import static java.util.Objects.requireNonNull;

/** The error body every API answers with: {@code {"error_code": "...", "message": "..."}}. */
public record ErrorResponse(@JsonProperty("error_code") String errorCode, @JsonProperty("message") String message) {
    public ErrorResponse {
        requireNonNull(errorCode, "errorCode is null");
        requireNonNull(message, "message is null");
    }
}
