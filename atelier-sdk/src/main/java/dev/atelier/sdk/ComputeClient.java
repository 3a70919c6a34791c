package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Compute targets of this client's workspace ({@code /api/v1/computes}); creating, changing and
 * deleting need the Compute Operator, Contributor or Owner role. Thread-safe.
 */
public final class ComputeClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;

    ComputeClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** Creates a target from its fields ({@code name}, {@code kind}, {@code max_concurrent_jobs}, {@code kubernetes}). */
    public JsonNode create(ObjectNode target) {
        return transport.post(paths.apply("computes"), requireNonNull(target, "target is null"));
    }

    /** Changes the given fields of a target. */
    public JsonNode update(String name, ObjectNode changes) {
        return transport.patch(path(name), requireNonNull(changes, "changes is null"));
    }

    public List<JsonNode> list() {
        List<JsonNode> targets = new ArrayList<>();
        transport.get(paths.apply("computes")).path("computes").forEach(targets::add);
        return targets;
    }

    public JsonNode get(String name) {
        return transport.get(path(name));
    }

    public void delete(String name) {
        transport.delete(path(name));
    }

    private String path(String name) {
        return paths.apply("computes/" + HttpTransport.encode(requireNonNull(name, "name is null")));
    }
}
