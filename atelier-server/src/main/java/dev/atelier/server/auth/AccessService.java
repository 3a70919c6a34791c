package dev.atelier.server.auth;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Principal;
import dev.atelier.server.workspace.WorkspaceParticipant;
import dev.atelier.server.workspace.WorkspaceVisibility;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Role assignments per (workspace, user). Removes a deleted workspace's assignments and the tokens
 * restricted to it. Thread-safe.
 */
public final class AccessService implements WorkspaceParticipant, WorkspaceVisibility {
    private final AuthStore store;
    private final TokenService tokens;

    public AccessService(AuthStore store, TokenService tokens) {
        this.store = requireNonNull(store, "store is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    public void grant(String workspace, String username, Role role) {
        if (store.getUser(username).isEmpty()) {
            throw AtelierException.notFound("User '" + username + "' does not exist");
        }
        store.assignRole(workspace, username, role);
    }

    public void revoke(String workspace, String username) {
        if (!store.removeRole(workspace, username)) {
            throw AtelierException.notFound("User '" + username + "' has no role in workspace '" + workspace + "'");
        }
    }

    public List<RoleAssignment> assignments(String workspace) {
        return store.assignments(workspace);
    }

    public Optional<Role> role(String workspace, String username) {
        return store.role(workspace, username);
    }

    public Map<String, Role> rolesOf(String username) {
        return store.rolesOf(username);
    }

    /** Server admins see every workspace (a restricted token only its own); others those they hold a role in. */
    @Override
    public boolean canSee(Principal principal, String workspace) {
        if (principal.tokenWorkspace().isPresent() && !principal.tokenWorkspace().get().equals(workspace)) {
            return false;
        }
        return principal.serverAdmin() || store.role(workspace, principal.username()).isPresent();
    }

    @Override
    public void workspaceCreated(String workspace) {
    }

    @Override
    public boolean holdsData(String workspace) {
        return false;
    }

    @Override
    public void workspaceDeleted(String workspace) {
        store.deleteAssignments(workspace);
        tokens.workspaceDeleted(workspace);
    }
}
