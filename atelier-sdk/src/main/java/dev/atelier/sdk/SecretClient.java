package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Secrets of this client's workspace ({@code /api/v1/secrets}). Names and metadata need READ,
 * values READ_SECRET_VALUE (and every read of a value is audited), changes MANAGE_SECRETS.
 * Thread-safe. Methods throw {@link dev.atelier.api.AtelierException} and
 * {@link ServerUnreachableException}.
 */
public final class SecretClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;

    SecretClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** Creates a secret; {@code RESOURCE_ALREADY_EXISTS} when the name is taken. */
    public SecretMetadata create(String name, String value, Optional<String> description) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("name", requireNonNull(name, "name is null"))
                .put("value", requireNonNull(value, "value is null"));
        requireNonNull(description, "description is null").ifPresent(text -> body.put("description", text));
        return SecretMetadata.fromJson(transport.post(paths.apply("secrets"), body));
    }

    /** Stores a new version of the value (and the description, when given) and returns its metadata. */
    public SecretMetadata update(String name, String value, Optional<String> description) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("value", requireNonNull(value, "value is null"));
        requireNonNull(description, "description is null").ifPresent(text -> body.put("description", text));
        return SecretMetadata.fromJson(transport.put(path(name), body));
    }

    public List<SecretMetadata> list() {
        List<SecretMetadata> secrets = new ArrayList<>();
        transport.get(paths.apply("secrets")).path("secrets").forEach(node -> secrets.add(SecretMetadata.fromJson(node)));
        return secrets;
    }

    /** The metadata of a secret, not its value. */
    public SecretMetadata get(String name) {
        return SecretMetadata.fromJson(transport.get(path(name)));
    }

    /** The value of the secret's latest version. */
    public SecretValue value(String name) {
        return SecretValue.fromJson(transport.get(path(name) + "/value"));
    }

    public void delete(String name) {
        transport.delete(path(name));
    }

    private String path(String name) {
        return paths.apply("secrets/" + HttpTransport.encode(requireNonNull(name, "name is null")));
    }
}
