package dev.atelier.server.secrets;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a random 12-byte nonce per encryption (NIST SP 800-38D) and the secret's
 * workspace, name and version as associated data: a ciphertext copied onto another secret or
 * version fails to decrypt instead of yielding that other secret's value. Thread-safe.
 */
final class SecretCipher {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretCipher() {
    }

    static EncryptedValue encrypt(MasterKey key, byte[] plaintext, SecretVersionRef ref) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(ref));
            return new EncryptedValue(key.id(), nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Throws {@link AEADBadTagException} when the ciphertext, nonce, key or associated data do not match. */
    static byte[] decrypt(MasterKey key, EncryptedValue value, SecretVersionRef ref) throws AEADBadTagException {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, value.nonce()));
            cipher.updateAAD(associatedData(ref));
            return cipher.doFinal(value.ciphertext());
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /** Length-prefixed fields, so that no two different (workspace, name, version) give the same bytes. */
    private static byte[] associatedData(SecretVersionRef ref) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[] {"atelier-secret-v1", ref.workspace(), ref.name(), Integer.toString(ref.version())}) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
