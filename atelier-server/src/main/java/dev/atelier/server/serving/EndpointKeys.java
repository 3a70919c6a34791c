package dev.atelier.server.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;
import dev.atelier.server.secrets.SecretService;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * The primary and secondary key of a key-auth endpoint. They are kept as a workspace secret (an online endpoint's is
 * {@code endpoint-<name>-keys}), so they are encrypted with the server's master key and re-encrypted when it rotates,
 * like every other secret. Batch endpoints keep theirs the same way under a secret name of their own
 * ({@link #store(SecretService, String, String, String, EndpointKeys, String, boolean)}, {@link #loadSecret}).
 */
public record EndpointKeys(String primary, String secondary) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public EndpointKeys {
        requireNonNull(primary, "primary is null");
        requireNonNull(secondary, "secondary is null");
    }

    /** Two fresh random keys (256 bits each). */
    public static EndpointKeys generate() {
        return new EndpointKeys(newKey(), newKey());
    }

    /** These keys with the primary or secondary replaced by a fresh one. */
    public EndpointKeys regenerate(String keyType) {
        return switch (keyType) {
            case "primary" -> new EndpointKeys(newKey(), secondary);
            case "secondary" -> new EndpointKeys(primary, newKey());
            default -> throw AtelierException.invalidParameter("Invalid value '" + keyType + "' for 'key_type': use primary or secondary");
        };
    }

    /** Whether {@code sent} is one of the keys, compared in constant time. */
    public boolean accepts(String sent) {
        byte[] bytes = sent.getBytes(StandardCharsets.UTF_8);
        boolean primaryMatches = MessageDigest.isEqual(bytes, primary.getBytes(StandardCharsets.UTF_8));
        boolean secondaryMatches = MessageDigest.isEqual(bytes, secondary.getBytes(StandardCharsets.UTF_8));
        return primaryMatches | secondaryMatches;
    }

    public Map<String, String> toJson() {
        return Map.of("primary_key", primary, "secondary_key", secondary);
    }

    static String secretName(String endpoint) {
        return "endpoint-" + endpoint + "-keys";
    }

    static void store(SecretService secrets, String workspace, String endpoint, EndpointKeys keys, String principal, boolean create) {
        store(secrets, workspace, secretName(endpoint), "Keys of online endpoint " + endpoint, keys, principal, create);
    }

    /** Keeps {@code keys} as the workspace secret {@code secretName}: a new secret with {@code description}, or an update. */
    public static void store(SecretService secrets, String workspace, String secretName, String description, EndpointKeys keys,
                             String principal, boolean create) {
        String value = write(keys);
        if (create) {
            secrets.create(workspace, secretName, value, Optional.of(description), principal);
        } else {
            secrets.update(workspace, secretName, value, Optional.empty(), principal);
        }
    }

    /** The keys as stored; empty when their secret is gone (the endpoint then accepts no key). */
    static Optional<EndpointKeys> load(SecretService secrets, String workspace, String endpoint) {
        return loadSecret(secrets, workspace, secretName(endpoint));
    }

    /** The keys kept as the workspace secret {@code secretName}; empty when it is gone. */
    public static Optional<EndpointKeys> loadSecret(SecretService secrets, String workspace, String secretName) {
        try {
            JsonNode json = Json.mapper().readTree(secrets.readValue(workspace, secretName, OptionalInt.empty()).value());
            return Optional.of(new EndpointKeys(json.path("primary_key").asText(), json.path("secondary_key").asText()));
        } catch (AtelierException | JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static String write(EndpointKeys keys) {
        try {
            return Json.mapper().writeValueAsString(keys.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "EndpointKeys[hidden]";
    }
}
