package dev.atelier.server.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The master keys a server knows: the first encrypts, all of them decrypt. More than one key is
 * present only while a rotation is in progress (or was interrupted).
 */
public record Keyring(List<MasterKey> keys) {
    public Keyring {
        keys = List.copyOf(requireNonNull(keys, "keys is null"));
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a keyring holds at least one key");
        }
    }

    public static Keyring of(MasterKey key) {
        return new Keyring(List.of(key));
    }

    /** The key new values are encrypted with. */
    public MasterKey current() {
        return keys.get(0);
    }

    public Optional<MasterKey> find(String keyId) {
        return keys.stream().filter(key -> key.id().equals(keyId)).findFirst();
    }

    /** This keyring with {@code key} in front, the others kept for decryption. */
    public Keyring withCurrent(MasterKey key) {
        List<MasterKey> next = new ArrayList<>();
        next.add(key);
        keys.stream().filter(existing -> !existing.equals(key)).forEach(next::add);
        return new Keyring(next);
    }
}
