package dev.atelier.server.secrets;

import dev.atelier.server.config.SecurityConfig;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the server's master keys come from: {@code ATELIER_MASTER_KEY} (fixed; the operator owns
 * it, so the server cannot rotate it) or the key file {@code <data-dir>/master.key}. Thread-safe.
 */
public final class MasterKeys {
    private final Optional<KeyringFile> file;
    private volatile Keyring keyring;

    private MasterKeys(Optional<KeyringFile> file, Keyring keyring) {
        this.file = file;
        this.keyring = keyring;
    }

    /** The key from {@code security.masterKey()} when set, else the key file in {@code dataDir} (created when missing). */
    public static MasterKeys open(SecurityConfig security, Path dataDir) {
        requireNonNull(security, "security is null");
        requireNonNull(dataDir, "dataDir is null");
        return security.masterKey()
                .map(base64 -> new MasterKeys(Optional.empty(), Keyring.of(MasterKey.fromBase64(base64, "ATELIER_MASTER_KEY"))))
                .orElseGet(() -> fromFile(dataDir.resolve(KeyringFile.FILE_NAME)));
    }

    static MasterKeys fromFile(Path path) {
        KeyringFile file = new KeyringFile(path);
        return new MasterKeys(Optional.of(file), file.loadOrCreate());
    }

    /** The key that encrypts new values. */
    public MasterKey current() {
        return keyring.current();
    }

    /**
     * The key with {@code keyId}. On a miss the key file is read again once, in case another server
     * sharing it rotated the key.
     */
    public Optional<MasterKey> find(String keyId) {
        Optional<MasterKey> key = keyring.find(keyId);
        if (key.isPresent() || file.isEmpty()) {
            return key;
        }
        synchronized (this) {
            keyring = file.get().read();
            return keyring.find(keyId);
        }
    }

    Keyring keyring() {
        return keyring;
    }

    /** Whether the server may rotate the key: only a key file it manages, never {@code ATELIER_MASTER_KEY}. */
    public boolean rotatable() {
        return file.isPresent();
    }

    /** Writes {@code next} to the key file (atomically) and uses it from now on. */
    synchronized void replace(Keyring next) {
        requireNonNull(next, "next is null");
        file.orElseThrow(() -> new IllegalStateException("the master key comes from ATELIER_MASTER_KEY")).replace(next);
        keyring = next;
    }
}
