package dev.atelier.server.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** MLflow's page tokens: base64 of {@code {"offset": N}}. Opaque to clients. */
public final class PageToken {
    private PageToken() {
    }

    public static int decodeOffset(Optional<String> token) {
        if (token.isEmpty() || token.get().isEmpty()) {
            return 0;
        }
        try {
            JsonNode node = Json.mapper().readTree(Base64.getDecoder().decode(token.get()));
            JsonNode offset = node.get("offset");
            if (offset == null || !offset.canConvertToInt() || offset.intValue() < 0) {
                throw AtelierException.invalidParameter("Invalid page token: it has no valid offset");
            }
            return offset.intValue();
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw AtelierException.invalidParameter("Invalid page token, could not base64-decode: " + token.get());
        }
    }

    public static String encode(int offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }
}
