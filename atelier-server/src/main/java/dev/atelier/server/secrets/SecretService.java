package dev.atelier.server.secrets;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.audit.AuditOutcome;
import dev.atelier.server.audit.AuditService;
import dev.atelier.server.store.Database;
import dev.atelier.server.workspace.WorkspaceParticipant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;

import static java.util.Objects.requireNonNull;

/**
 * The secrets vault (docs/security.md, "Secrets vault"): names, versions, encryption under the
 * master key, master key rotation. Values never appear in logs, errors or metadata. Thread-safe.
 *
 * <p>Reads of a value through the HTTP route are audited by the audit log's request observer;
 * {@link #resolve} (used by jobs and datastores) records its own audit event.
 *
 * <p>Encryptions and decryptions hold the read side of a lock whose write side a rotation holds,
 * so no value is encrypted under, or read with, a key that the rotation is about to drop. The lock
 * is per process: servers sharing a database should take their key from {@code ATELIER_MASTER_KEY}.
 */
public final class SecretService implements WorkspaceParticipant {
    /** The principal recorded when the server itself resolves a secret for a job or datastore. */
    public static final String SYSTEM_PRINCIPAL = "system";
    static final int MAX_VALUE_BYTES = 64 * 1024;
    static final int MAX_DESCRIPTION_LENGTH = 1000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Logger LOG = LoggerFactory.getLogger(SecretService.class);

    private final SecretStore store;
    private final MasterKeys keys;
    private final AuditService audit;
    private final Clock clock;
    private final ReentrantReadWriteLock rotationLock = new ReentrantReadWriteLock();

    SecretService(SecretStore store, MasterKeys keys, AuditService audit, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public SecretService(Database database, MasterKeys keys, AuditService audit, Clock clock) {
        this(new JdbcSecretStore(database), keys, audit, clock);
    }

    /** Creates a secret at version 1; {@code RESOURCE_ALREADY_EXISTS} when the name is taken. */
    public Secret create(String workspace, String name, String value, Optional<String> description, String createdBy) {
        validateName(name);
        byte[] plaintext = validateValue(value);
        String text = validateDescription(description).orElse("");
        long now = clock.millis();
        Secret secret = new Secret(name, 1, text, createdBy, now, now);
        boolean created = underReadLock(() -> store.createSecret(workspace, secret,
                SecretCipher.encrypt(keys.current(), plaintext, new SecretVersionRef(workspace, name, 1))));
        if (!created) {
            throw AtelierException.alreadyExists("Secret '" + name + "' already exists in workspace '" + workspace
                    + "'; use PUT /api/v1/secrets/" + name + " to store a new version");
        }
        return secret;
    }

    /** Stores a new version of a secret; {@code RESOURCE_DOES_NOT_EXIST} when there is no such secret. */
    public Secret update(String workspace, String name, String value, Optional<String> description, String createdBy) {
        validateName(name);
        byte[] plaintext = validateValue(value);
        Optional<String> text = validateDescription(description);
        return underReadLock(() -> store.addVersion(workspace, name, text, createdBy, clock.millis(),
                        version -> SecretCipher.encrypt(keys.current(), plaintext, new SecretVersionRef(workspace, name, version))))
                .orElseThrow(() -> notFound(workspace, name));
    }

    public List<Secret> list(String workspace) {
        return store.listSecrets(workspace);
    }

    public Secret get(String workspace, String name) {
        return store.getSecret(workspace, name).orElseThrow(() -> notFound(workspace, name));
    }

    /** A secret's value, the current version unless {@code version} is given. Not audited here: the caller audits. */
    public SecretValue readValue(String workspace, String name, OptionalInt version) {
        return underReadLock(() -> {
            StoredVersion stored = store.getVersion(workspace, name, version).orElseThrow(() -> version.isPresent()
                    ? AtelierException.notFound("Secret '" + name + "' has no version " + version.getAsInt()
                    + " in workspace '" + workspace + "'")
                    : notFound(workspace, name));
            return new SecretValue(name, stored.ref().version(), new String(decrypt(stored), StandardCharsets.UTF_8));
        });
    }

    /** The current value of a secret, for the server's own use (jobs, datastores); audited as a read by {@code system}. */
    public String resolve(String workspace, String name) {
        return resolve(workspace, name, SYSTEM_PRINCIPAL);
    }

    /**
     * The current value of a secret on behalf of {@code requester} (such as {@code job:42}); audited as
     * {@code RESOLVE secret} with target {@code secrets/<name>}, whether it succeeds or not.
     */
    public String resolve(String workspace, String name, String requester) {
        return resolve(workspace, name, OptionalInt.empty(), requester);
    }

    /** One version of a secret (the current one when {@code version} is empty), audited like {@link #resolve(String, String, String)}. */
    public String resolve(String workspace, String name, OptionalInt version, String requester) {
        requireNonNull(requester, "requester is null");
        try {
            String value = readValue(workspace, name, version).value();
            audit.record(requester, workspace, "RESOLVE secret", "secrets/" + name, AuditOutcome.ALLOWED, 200, "");
            return value;
        } catch (AtelierException e) {
            audit.record(requester, workspace, "RESOLVE secret", "secrets/" + name, AuditOutcome.FAILED, e.httpStatus(), "");
            throw e;
        }
    }

    /** Deletes a secret with every version; {@code RESOURCE_DOES_NOT_EXIST} when there is none. */
    public void delete(String workspace, String name) {
        if (!store.deleteSecret(workspace, name)) {
            throw notFound(workspace, name);
        }
    }

    /**
     * Replaces the master key: writes the new key beside the old ones, re-encrypts every secret version
     * in one transaction, then drops the old keys. A crash at any point leaves every value readable;
     * running the rotation again finishes an interrupted one. {@code INVALID_STATE} (400) when the key
     * comes from {@code ATELIER_MASTER_KEY}.
     */
    public RotationResult rotateMasterKey() {
        return rotateMasterKey(RotationStep.Listener.NONE);
    }

    RotationResult rotateMasterKey(RotationStep.Listener listener) {
        if (!keys.rotatable()) {
            throw AtelierException.invalidState("The master key comes from ATELIER_MASTER_KEY, which the operator owns; "
                    + "the server cannot rotate it. Unset ATELIER_MASTER_KEY to use the key file in the data directory, "
                    + "which the server can rotate.");
        }
        Lock lock = rotationLock.writeLock();
        lock.lock();
        try {
            MasterKey newKey = MasterKey.generate();
            keys.replace(keys.keyring().withCurrent(newKey));
            listener.reached(RotationStep.KEYRING_EXTENDED);
            Set<String> secrets = new HashSet<>();
            int versions = store.reencryptAll(stored -> {
                secrets.add(stored.ref().workspace() + "/" + stored.ref().name());
                return new StoredVersion(stored.ref(), SecretCipher.encrypt(newKey, decrypt(stored), stored.ref()));
            }, () -> listener.reached(RotationStep.SECRETS_REENCRYPTED));
            listener.reached(RotationStep.SECRETS_COMMITTED);
            keys.replace(Keyring.of(newKey));
            listener.reached(RotationStep.KEYRING_TRIMMED);
            LOG.info("Rotated the master key to {}: re-encrypted {} versions of {} secrets", newKey.id(), versions, secrets.size());
            return new RotationResult(secrets.size(), versions, newKey.id());
        } finally {
            lock.unlock();
        }
    }

    private byte[] decrypt(StoredVersion stored) {
        SecretVersionRef ref = stored.ref();
        String label = "Secret '" + ref.name() + "' version " + ref.version() + " in workspace '" + ref.workspace() + "'";
        MasterKey key = keys.find(stored.value().keyId()).orElseThrow(() -> {
            LOG.error("{} is encrypted with master key {}, which is not in the keyring", label, stored.value().keyId());
            return new AtelierException(ErrorCode.INTERNAL_ERROR, label + " is encrypted with master key "
                    + stored.value().keyId() + ", which this server does not have");
        });
        try {
            return SecretCipher.decrypt(key, stored.value(), ref);
        } catch (AEADBadTagException e) {
            LOG.error("{} failed its integrity check: the stored ciphertext was altered or belongs to another secret", label);
            throw new AtelierException(ErrorCode.INTERNAL_ERROR, label + " could not be decrypted: its stored ciphertext "
                    + "failed the integrity check (altered, or copied from another secret)");
        }
    }

    private <T> T underReadLock(Supplier<T> action) {
        Lock lock = rotationLock.readLock();
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void workspaceCreated(String workspace) {
        // Nothing to prepare.
    }

    @Override
    public boolean holdsData(String workspace) {
        return store.holdsSecrets(workspace);
    }

    @Override
    public void workspaceDeleted(String workspace) {
        // Foreign keys already removed the rows; this also covers a database where they were not enforced.
        store.deleteSecrets(workspace);
    }

    private static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'name': a secret name has 1 to 128 letters, "
                    + "digits, '_', '.' or '-' and starts with a letter or digit");
        }
    }

    /** Checks the value and returns its UTF-8 bytes; the message never repeats the value. */
    private static byte[] validateValue(String value) {
        if (value == null) {
            throw AtelierException.invalidParameter("Missing value for required parameter 'value'");
        }
        if (value.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'value': a secret value must not be empty");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_VALUE_BYTES) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'value': it has " + bytes.length
                    + " bytes (UTF-8), more than the limit of " + MAX_VALUE_BYTES);
        }
        return bytes;
    }

    private static Optional<String> validateDescription(Optional<String> description) {
        description.ifPresent(text -> {
            if (text.length() > MAX_DESCRIPTION_LENGTH) {
                throw AtelierException.invalidParameter("Invalid value for parameter 'description': it has " + text.length()
                        + " characters, more than the limit of " + MAX_DESCRIPTION_LENGTH);
            }
        });
        return description;
    }

    private static AtelierException notFound(String workspace, String name) {
        return AtelierException.notFound("Secret '" + name + "' does not exist in workspace '" + workspace + "'");
    }
}
