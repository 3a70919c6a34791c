package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Datastores of this client's workspace ({@code /api/v1/datastores}; docs/data.md). Registering
 * and deleting one needs MANAGE_SECRETS. Objects are returned as the server's JSON. Thread-safe.
 */
public final class DatastoreClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;

    DatastoreClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** An empty request body to fill: {@code name}, {@code type} and the type's settings. */
    public static ObjectNode newRequest() {
        return HttpTransport.mapper().createObjectNode();
    }

    public JsonNode create(ObjectNode request) {
        return transport.post(paths.apply("datastores"), requireNonNull(request, "request is null"));
    }

    public JsonNode list() {
        return transport.get(paths.apply("datastores")).path("datastores");
    }

    public JsonNode get(String name) {
        return transport.get(path(name));
    }

    public void delete(String name) {
        transport.delete(path(name));
    }

    private String path(String name) {
        return paths.apply("datastores/" + HttpTransport.encode(requireNonNull(name, "name is null")));
    }
}
