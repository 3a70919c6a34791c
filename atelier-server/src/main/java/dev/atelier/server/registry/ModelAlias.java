package dev.atelier.server.registry;

import static java.util.Objects.requireNonNull;

/** An alias of a registered model and the version it points at ({@code "version": "1"} on the wire). */
public record ModelAlias(String alias, String version) {
    public ModelAlias {
        requireNonNull(alias, "alias is null");
        requireNonNull(version, "version is null");
    }
}
