package dev.atelier.server.secrets;

import static java.util.Objects.requireNonNull;

/**
 * What a master key rotation did.
 *
 * @param secrets  how many secrets were re-encrypted
 * @param versions how many secret versions (every version is kept and re-encrypted)
 * @param keyId    the id of the new master key
 */
public record RotationResult(int secrets, int versions, String keyId) {
    public RotationResult {
        requireNonNull(keyId, "keyId is null");
    }
}
