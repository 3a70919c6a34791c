package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.Workspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Workspaces through the native API {@code /api/v1/workspaces}. Thread-safe. Every method throws
 * {@link dev.atelier.api.AtelierException} when the server refuses the request (for example
 * {@code RESOURCE_DOES_NOT_EXIST}, {@code RESOURCE_ALREADY_EXISTS}) and
 * {@link ServerUnreachableException} when it cannot be reached.
 */
public final class WorkspaceClient {
    private static final String PATH = "/api/v1/workspaces";

    private final HttpTransport transport;

    WorkspaceClient(HttpTransport transport) {
        this.transport = requireNonNull(transport, "transport is null");
    }

    public Workspace create(String name, String description, Map<String, String> tags) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("name", requireNonNull(name, "name is null"))
                .put("description", requireNonNull(description, "description is null"));
        body.set("tags", HttpTransport.mapper().valueToTree(requireNonNull(tags, "tags is null")));
        return toWorkspace(transport.post(PATH, body));
    }

    public Workspace create(String name) {
        return create(name, "", Map.of());
    }

    /** All workspaces, ordered by name. */
    public List<Workspace> list() {
        List<Workspace> workspaces = new ArrayList<>();
        transport.get(PATH).path("workspaces").forEach(node -> workspaces.add(toWorkspace(node)));
        return workspaces;
    }

    public Workspace get(String name) {
        return toWorkspace(transport.get(path(name)));
    }

    /**
     * Replaces the description when given and merges {@code tags}: a tag mapped to {@code null}
     * is removed (use a {@link java.util.HashMap}, since {@link Map#of} refuses nulls).
     */
    public Workspace update(String name, Optional<String> description, Map<String, String> tags) {
        ObjectNode body = HttpTransport.mapper().createObjectNode();
        description.ifPresent(value -> body.put("description", value));
        body.set("tags", HttpTransport.mapper().valueToTree(requireNonNull(tags, "tags is null")));
        return toWorkspace(transport.patch(path(name), body));
    }

    /**
     * Deletes a workspace. Without {@code force} the server refuses ({@code INVALID_STATE}) to
     * delete one that still holds experiments, runs or artifacts; with it, they go too.
     */
    public void delete(String name, boolean force) {
        transport.delete(path(name) + (force ? "?force=true" : ""));
    }

    private static String path(String name) {
        return PATH + "/" + HttpTransport.encode(requireNonNull(name, "name is null"));
    }

    private static Workspace toWorkspace(JsonNode node) {
        return HttpTransport.mapper().convertValue(node, Workspace.class);
    }
}
