package dev.atelier.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Where a page of audit events ended: the (time, id) of its last event. Opaque to clients
 * (base64 of JSON, like MLflow's tokens), but keyed on position rather than an offset, so that
 * events written while a client pages through the log neither repeat nor shift the pages.
 */
public record AuditPageToken(long time, String id) {
    public AuditPageToken {
        requireNonNull(id, "id is null");
    }

    /** Throws {@code INVALID_PARAMETER_VALUE} naming {@code page_token} when the token is not one of ours. */
    public static AuditPageToken decode(String token) {
        try {
            JsonNode node = Json.mapper().readTree(Base64.getUrlDecoder().decode(token));
            JsonNode time = node == null ? null : node.get("time");
            JsonNode id = node == null ? null : node.get("id");
            if (time == null || !time.canConvertToLong() || id == null || !id.isTextual()) {
                throw invalid();
            }
            return new AuditPageToken(time.longValue(), id.textValue());
        } catch (IllegalArgumentException | IOException e) {
            throw invalid();
        }
    }

    public String encode() {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Json.mapper().writeValueAsString(Map.of("time", time, "id", id)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a page token", e);
        }
    }

    private static AtelierException invalid() {
        return AtelierException.invalidParameter("Invalid value for parameter 'page_token': not a token this server gave out");
    }
}
