package dev.atelier.server.secrets;

import static java.util.Objects.requireNonNull;

/** One stored version of a secret: where it belongs and its encrypted value. */
record StoredVersion(SecretVersionRef ref, EncryptedValue value) {
    StoredVersion {
        requireNonNull(ref, "ref is null");
        requireNonNull(value, "value is null");
    }
}
