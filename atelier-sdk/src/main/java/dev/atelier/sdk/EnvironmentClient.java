package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/** Versioned environments of this client's workspace ({@code /api/v1/environments}); objects as the server sends them. Thread-safe. */
public final class EnvironmentClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;

    EnvironmentClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** Creates the next version: {@code kind} process (with {@code executable}) or image (with {@code image}). */
    public JsonNode create(String name, String kind, Optional<String> executable, Optional<String> image, Optional<String> requirements,
                           Optional<String> description) {
        ObjectNode body = HttpTransport.mapper().createObjectNode().put("name", name).put("kind", kind);
        executable.ifPresent(value -> body.put("executable", value));
        image.ifPresent(value -> body.put("image", value));
        requirements.ifPresent(value -> body.put("requirements", value));
        description.ifPresent(value -> body.put("description", value));
        return transport.post(paths.apply("environments"), body);
    }

    /** Creates a version from a document ({@link EnvironmentDocuments#read}): the version it names, or the next one. */
    public JsonNode create(ObjectNode document) {
        return transport.post(paths.apply("environments"), document);
    }

    /** A python environment's build: {@code state}, {@code digest} and {@code log}. */
    public JsonNode build(String name, int version) {
        return transport.get(paths.apply("environments/" + HttpTransport.encode(name) + "/versions/" + version + "/build"));
    }

    /** The latest version of each environment. */
    public List<JsonNode> list() {
        List<JsonNode> environments = new ArrayList<>();
        transport.get(paths.apply("environments")).path("environments").forEach(environments::add);
        return environments;
    }

    /** One version, or the latest. */
    public JsonNode get(String name, Optional<Integer> version) {
        String path = "environments/" + HttpTransport.encode(name) + version.map(v -> "/versions/" + v).orElse("");
        return transport.get(paths.apply(path));
    }
}
