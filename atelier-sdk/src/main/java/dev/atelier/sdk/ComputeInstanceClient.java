package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Compute instances of this client's workspace ({@code /api/v1/compute-instances}): per-user Jupyter servers opened
 * through the server at their {@code url}. Creating needs WRITE; only the owner opens one; the owner or a Compute
 * Operator, Contributor or Owner starts, stops and deletes it. Thread-safe.
 */
public final class ComputeInstanceClient {
    private final HttpTransport transport;
    private final java.util.function.Function<String, String> paths;

    ComputeInstanceClient(HttpTransport transport, java.util.function.Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** Parses a {@code computeinstance} YAML (or JSON) file into the document {@link #create} takes. */
    public static ObjectNode read(Path file) {
        try {
            ObjectNode document = JobDocuments.parseMapping(Files.readString(file),
                    "The compute file must be a YAML mapping of fields (type, name, ...)");
            document.remove("$schema");
            return document;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not read " + file, e);
        }
    }

    /** Creates and starts an instance from its document ({@code type: computeinstance}, {@code name}, ...). */
    public JsonNode create(ObjectNode document) {
        return transport.post(paths.apply("compute-instances"), requireNonNull(document, "document is null"));
    }

    /** The caller's instances (every instance for a Compute Operator, Contributor or Owner). */
    public List<JsonNode> list() {
        List<JsonNode> instances = new ArrayList<>();
        transport.get(paths.apply("compute-instances")).path("compute_instances").forEach(instances::add);
        return instances;
    }

    /** The instance, with its {@code state}. */
    public JsonNode get(String name) {
        return transport.get(path(name));
    }

    /** The instance, or empty when the workspace has none of that name. */
    public Optional<JsonNode> find(String name) {
        try {
            return Optional.of(get(name));
        } catch (AtelierException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public JsonNode start(String name) {
        return transport.post(path(name) + "/start", java.util.Map.of());
    }

    public JsonNode stop(String name) {
        return transport.post(path(name) + "/stop", java.util.Map.of());
    }

    public JsonNode restart(String name) {
        return transport.post(path(name) + "/restart", java.util.Map.of());
    }

    /** Deletes the instance; its owner's files stay. */
    public void delete(String name) {
        transport.delete(path(name));
    }

    private String path(String name) {
        return paths.apply("compute-instances/" + HttpTransport.encode(requireNonNull(name, "name is null")));
    }
}
