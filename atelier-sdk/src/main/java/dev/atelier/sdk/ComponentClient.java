package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Registered components of this client's workspace ({@code /api/v1/components}, docs/components.md). A document is
 * registered as read by {@code ComponentDocuments.prepare} (its code folder uploaded first). Thread-safe.
 */
public final class ComponentClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;

    ComponentClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /**
     * Registers a version from its document: the version it names (the existing one when its document is identical), or
     * the next integer.
     */
    public Component create(ObjectNode document) {
        return Component.fromJson(transport.post(paths.apply("components"), document));
    }

    /** The latest version of each component; archived ones too when {@code includeArchived}. */
    public List<Component> list(boolean includeArchived) {
        return components(transport.get(paths.apply("components" + (includeArchived ? "?include_archived=true" : ""))));
    }

    /** One version, or the latest that is not archived. */
    public Component get(String name, Optional<String> version) {
        String path = "components/" + HttpTransport.encode(name) + version.map(v -> "/versions/" + HttpTransport.encode(v)).orElse("");
        return Component.fromJson(transport.get(paths.apply(path)));
    }

    /** Every version of a component, the last registered first. */
    public List<Component> versions(String name) {
        return components(transport.get(paths.apply("components/" + HttpTransport.encode(name) + "/versions")));
    }

    /** Archives one version, or every version of the name; returns the versions archived. */
    public List<Component> archive(String name, Optional<String> version) {
        return components(transport.post(paths.apply("components/" + HttpTransport.encode(name) + "/archive"), body(version)));
    }

    /** Restores one archived version, or every version of the name; returns the versions restored. */
    public List<Component> restore(String name, Optional<String> version) {
        return components(transport.post(paths.apply("components/" + HttpTransport.encode(name) + "/restore"), body(version)));
    }

    private static ObjectNode body(Optional<String> version) {
        ObjectNode body = HttpTransport.mapper().createObjectNode();
        version.ifPresent(v -> body.put("version", v));
        return body;
    }

    private static List<Component> components(JsonNode answer) {
        List<Component> components = new ArrayList<>();
        answer.path("components").forEach(node -> components.add(Component.fromJson(node)));
        return components;
    }
}
