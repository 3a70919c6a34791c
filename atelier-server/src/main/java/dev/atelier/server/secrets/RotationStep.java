package dev.atelier.server.secrets;

/** The steps of a master key rotation, in order; after each one a crash loses nothing. */
enum RotationStep {
    /** The key file holds the new key (current) and the old ones. */
    KEYRING_EXTENDED,
    /** Every version is re-encrypted under the new key, not yet committed. */
    SECRETS_REENCRYPTED,
    /** The re-encryption is committed. */
    SECRETS_COMMITTED,
    /** The key file holds only the new key. */
    KEYRING_TRIMMED;

    /** Hears each step; tests use it to interrupt a rotation between steps. */
    @FunctionalInterface
    interface Listener {
        Listener NONE = step -> { };

        void reached(RotationStep step);
    }
}
