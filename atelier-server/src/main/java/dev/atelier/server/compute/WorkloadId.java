package dev.atelier.server.compute;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Names one workload across server restarts: the workspace, the kind of thing a domain runs ({@code job},
 * {@code deployment}, ...) and that thing's name. Backends derive folder and object names from it, and find a
 * workload again by it after a restart.
 */
public record WorkloadId(String workspace, String owner, String name) {
    public WorkloadId {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(name, "name is null");
    }

    /** {@code job my-job}, for log lines and messages. */
    public String describe() {
        return owner + " " + name;
    }

    /**
     * A DNS-1123 name unique per workload: {@code atelier-<workspace>-<name>-<hash>}, lowercase, at most 63 characters
     * (Kubernetes object names, labels).
     */
    public String objectName() {
        String base = ("atelier-" + workspace + "-" + name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        String hash = Integer.toHexString((workspace + "/" + name).hashCode());
        if (base.length() > 54) {
            base = base.substring(0, 54);
        }
        return (base.replaceAll("-+$", "") + "-" + hash).replaceAll("--+", "-");
    }
}
