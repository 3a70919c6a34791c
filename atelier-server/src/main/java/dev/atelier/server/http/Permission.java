package dev.atelier.server.http;

/**
 * What a route requires of the caller. Every route declares one; the authorization filter checks
 * it before any handler runs. Workspace permissions are granted by the caller's role in the
 * workspace the request addresses (docs/security.md has the table); server admins hold them all.
 */
public enum Permission {
    /** Open to anyone, without credentials: health, version, login. */
    PUBLIC,
    /**
     * Invoke an online endpoint's scoring routes: checked by the endpoint's own auth mode (its keys,
     * or WRITE for Atelier tokens) in the serving router, not by the authorization filter.
     */
    SCORE,
    /** Any signed-in principal: its own password and tokens, the list of workspaces it can see. */
    AUTHENTICATED,
    /** Read the workspace's objects (never a secret's value). */
    READ,
    /** Data-plane changes: experiments, runs, artifacts, models, jobs, data, endpoints. */
    WRITE,
    /** Change compute targets' capacity and pod defaults, delete them. */
    MANAGE_COMPUTE,
    /** Create compute targets and change where they connect (kubeconfig, namespace, service account): Owner only. */
    MANAGE_COMPUTE_CONNECTION,
    /** Create, update and delete secrets (their names and metadata are READ). */
    MANAGE_SECRETS,
    /** Read a secret's value; every such read is audited. */
    READ_SECRET_VALUE,
    /** Grant and revoke roles in the workspace, read its audit log. */
    MANAGE_ACCESS,
    /** Server administration: users, creating and deleting workspaces, garbage collection. */
    SERVER_ADMIN,
    /**
     * Scrape Prometheus {@code /metrics}, whose labels name workspaces and endpoints: server admins
     * (read-only tokens too), or the bearer {@code --metrics-token}.
     */
    READ_METRICS
}
