package dev.atelier.server.workspace;

import dev.atelier.server.http.Principal;

/** Which workspaces a principal may see in the workspace list; implemented by the auth domain. */
@FunctionalInterface
public interface WorkspaceVisibility {
    /** Everyone sees everything: a server without authentication. */
    WorkspaceVisibility ALL = (principal, workspace) -> true;

    boolean canSee(Principal principal, String workspace);
}
