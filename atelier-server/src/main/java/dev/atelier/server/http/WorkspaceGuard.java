package dev.atelier.server.http;

/** Checks that a workspace named in a request path exists; implemented by the workspace domain. */
@FunctionalInterface
public interface WorkspaceGuard {
    /** Throws {@code RESOURCE_DOES_NOT_EXIST} when {@code workspace} does not exist. */
    void requireExists(String workspace);
}
