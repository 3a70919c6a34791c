package dev.atelier.server.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;

import static java.util.Objects.requireNonNull;

/**
 * Argon2id password hashes in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, unpadded base64), as the reference
 * implementation writes them. Verification reads the parameters from the stored string, so they can
 * be raised later without invalidating existing hashes. Thread-safe.
 *
 * <p>Each hash uses {@code m} KiB of memory; a semaphore bounds how many run at once so that a burst
 * of logins on virtual threads cannot exhaust the heap.
 */
public final class PasswordHasher {
    /** OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane (~20 ms on a server core). */
    public static final int MEMORY_KIB = 19_456;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final Semaphore slots = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    /** A hash of a random password: unknown users are verified against it so they take as long as known ones. */
    private final String dummyHash;

    public PasswordHasher() {
        this.dummyHash = hash(Secrets.randomPassword(random));
    }

    public String hash(String password) {
        requireNonNull(password, "password is null");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code phcHash}; false for a malformed hash. Constant time in the hash bytes. */
    public boolean verify(String password, String phcHash) {
        requireNonNull(password, "password is null");
        String[] parts = phcHash.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        try {
            int[] parameters = parameters(parts[3]);
            byte[] salt = B64_DECODER.decode(parts[4]);
            byte[] expected = B64_DECODER.decode(parts[5]);
            byte[] actual = argon2(password, salt, parameters[0], parameters[1], parameters[2], expected.length);
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Memory (KiB), iterations and parallelism of {@code m=..,t=..,p=..}; throws IllegalArgumentException when malformed. */
    private static int[] parameters(String text) {
        int[] values = new int[3];
        for (String parameter : text.split(",")) {
            String[] pair = parameter.split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("malformed Argon2 parameter: " + parameter);
            }
            int index = switch (pair[0]) {
                case "m" -> 0;
                case "t" -> 1;
                case "p" -> 2;
                default -> throw new IllegalArgumentException("unknown Argon2 parameter: " + pair[0]);
            };
            values[index] = Integer.parseInt(pair[1]);
        }
        if (values[0] < 8 || values[1] < 1 || values[2] < 1) {
            throw new IllegalArgumentException("Argon2 parameters out of range: " + text);
        }
        return values;
    }

    /** Spends the time of one verification and returns false: what an unknown user name gets. */
    public boolean verifyNothing(String password) {
        verify(password, dummyHash);
        return false;
    }

    private byte[] argon2(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        slots.acquireUninterruptibly();
        try {
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        } finally {
            slots.release();
        }
        return out;
    }
}
