package dev.atelier.server.secrets;

import static java.util.Objects.requireNonNull;

/** Which secret version a value belongs to: bound into its encryption as associated data. */
record SecretVersionRef(String workspace, String name, int version) {
    SecretVersionRef {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(name, "name is null");
    }
}
