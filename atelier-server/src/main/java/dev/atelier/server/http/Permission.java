package dev.atelier.server.http;

/**
 * What a route requires of the caller. Every route declares one; the authorization filter (see
 * the security issue) checks it before any handler runs.
 */
public enum Permission {
    /** Open to anyone: health, version, metrics. */
    PUBLIC,
    /** Read the workspace's objects. */
    READ,
    /** Create, change or delete the workspace's objects. */
    WRITE,
    /** Server administration: create and delete workspaces, collect garbage. */
    ADMIN
}
