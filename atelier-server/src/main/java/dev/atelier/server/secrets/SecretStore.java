package dev.atelier.server.secrets;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/** Where secrets are kept, encrypted. Implementations are thread-safe; every write is one transaction. */
interface SecretStore {
    /** Creates {@code secret} at version 1 with {@code value}; false when the name is taken in the workspace. */
    boolean createSecret(String workspace, Secret secret, EncryptedValue value);

    /**
     * Adds the next version of a secret, whose value {@code encrypt} produces for the version number
     * (the number is part of the encryption); keeps the description when {@code description} is empty.
     *
     * @return the secret's new metadata; empty when it does not exist
     */
    Optional<Secret> addVersion(String workspace, String name, Optional<String> description, String createdBy, long time,
                                IntFunction<EncryptedValue> encrypt);

    Optional<Secret> getSecret(String workspace, String name);

    /** The workspace's secrets ordered by name. */
    List<Secret> listSecrets(String workspace);

    /** One version of a secret, the current one when {@code version} is empty. */
    Optional<StoredVersion> getVersion(String workspace, String name, OptionalInt version);

    /** Deletes a secret with all its versions; false when it did not exist. */
    boolean deleteSecret(String workspace, String name);

    boolean holdsSecrets(String workspace);

    void deleteSecrets(String workspace);

    /**
     * Replaces the value of every version of every secret with what {@code reencrypt} returns for it, in
     * one transaction; runs {@code beforeCommit} last inside it (a throw rolls everything back). Returns once the
     * commit is durable across a power loss, not only across a crash of the process: the caller drops the old key next.
     *
     * @return the number of versions re-encrypted
     */
    int reencryptAll(UnaryOperator<StoredVersion> reencrypt, Runnable beforeCommit);
}
