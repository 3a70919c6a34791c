package dev.atelier.server.secrets;

import static java.util.Objects.requireNonNull;

/**
 * A secret value as stored: AES-256-GCM ciphertext (with its 16-byte tag) and the 12-byte nonce,
 * under the master key {@code keyId}.
 */
record EncryptedValue(String keyId, byte[] nonce, byte[] ciphertext) {
    EncryptedValue {
        requireNonNull(keyId, "keyId is null");
        nonce = requireNonNull(nonce, "nonce is null").clone();
        ciphertext = requireNonNull(ciphertext, "ciphertext is null").clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptedValue value && keyId.equals(value.keyId)
                && java.util.Arrays.equals(nonce, value.nonce) && java.util.Arrays.equals(ciphertext, value.ciphertext);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + java.util.Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "EncryptedValue[keyId=" + keyId + ", " + ciphertext.length + " bytes]";
    }
}
