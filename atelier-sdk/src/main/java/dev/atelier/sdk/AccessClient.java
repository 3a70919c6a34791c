package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Who holds which role in this client's workspace ({@code /api/v1/access}). Listing needs READ,
 * granting and revoking MANAGE_ACCESS. Thread-safe. Methods throw
 * {@link dev.atelier.api.AtelierException} and {@link ServerUnreachableException}.
 */
public final class AccessClient {
    private final HttpTransport transport;
    private final Function<String, String> paths;

    AccessClient(HttpTransport transport, Function<String, String> paths) {
        this.transport = requireNonNull(transport, "transport is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    public List<RoleAssignment> list() {
        List<RoleAssignment> assignments = new ArrayList<>();
        transport.get(paths.apply("access")).path("assignments").forEach(node -> assignments.add(RoleAssignment.fromJson(node)));
        return assignments;
    }

    /** Gives {@code username} {@code role} in the workspace, replacing the role it had. */
    public void grant(String username, Role role) {
        ObjectNode body = HttpTransport.mapper().createObjectNode()
                .put("username", requireNonNull(username, "username is null"))
                .put("role", requireNonNull(role, "role is null").wireName());
        transport.post(paths.apply("access"), body);
    }

    /** Takes away whatever role {@code username} has in the workspace. */
    public void revoke(String username) {
        transport.delete(paths.apply("access/" + HttpTransport.encode(requireNonNull(username, "username is null"))));
    }
}
