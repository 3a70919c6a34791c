package dev.atelier.sdk;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * An endpoint's two keys, either of which a scoring client sends as {@code Authorization: Bearer <key>}.
 * {@code toString} never shows them; Jackson writes them as the server sends them.
 */
public record EndpointKeys(@JsonProperty("primary_key") String primaryKey, @JsonProperty("secondary_key") String secondaryKey) {
    public EndpointKeys {
        requireNonNull(primaryKey, "primaryKey is null");
        requireNonNull(secondaryKey, "secondaryKey is null");
    }

    static EndpointKeys fromJson(JsonNode node) {
        return new EndpointKeys(JsonFields.text(node, "primary_key"), JsonFields.text(node, "secondary_key"));
    }

    /** Which of the two keys to regenerate. */
    public enum KeyType {
        PRIMARY, SECONDARY;

        /** The wire name: {@code primary} or {@code secondary}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return "EndpointKeys[primaryKey=***, secondaryKey=***]";
    }
}
