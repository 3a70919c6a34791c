package dev.atelier.server.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import static java.util.Objects.requireNonNull;

/**
 * A 256-bit AES key that encrypts secrets. Its id is derived from the key (the first 16 hex digits of
 * the SHA-256 of {@code "atelier-master-key" + key}), so the same key always has the same id and the id
 * reveals nothing usable about the key. Immutable; {@link #toString} never shows the key.
 */
public final class MasterKey {
    static final int LENGTH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;
    private final byte[] material;

    private MasterKey(byte[] material) {
        if (material.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a master key has " + LENGTH_BYTES + " bytes, not " + material.length);
        }
        this.material = material.clone();
        this.id = idOf(this.material);
    }

    /** A new random key. */
    public static MasterKey generate() {
        byte[] material = new byte[LENGTH_BYTES];
        RANDOM.nextBytes(material);
        return new MasterKey(material);
    }

    /**
     * Decodes standard base64 of 32 bytes.
     *
     * @param origin where the text came from, for the error message (which never repeats the text)
     */
    public static MasterKey fromBase64(String base64, String origin) {
        requireNonNull(base64, "base64 is null");
        byte[] material;
        try {
            material = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(origin + " is not valid base64; it must be the base64 of " + LENGTH_BYTES
                    + " random bytes (for example the output of `openssl rand -base64 32`)");
        }
        if (material.length != LENGTH_BYTES) {
            throw new IllegalStateException(origin + " decodes to " + material.length + " bytes; it must be the base64 of "
                    + LENGTH_BYTES + " random bytes (for example the output of `openssl rand -base64 32`)");
        }
        return new MasterKey(material);
    }

    public String id() {
        return id;
    }

    String toBase64() {
        return Base64.getEncoder().encodeToString(material);
    }

    SecretKey secretKey() {
        return new SecretKeySpec(material, "AES");
    }

    private static String idOf(byte[] material) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("atelier-master-key".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha256.digest(material), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MasterKey key && MessageDigest.isEqual(material, key.material);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
