package dev.atelier.server.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashesAreSaltedArgon2idPhcStringsThatVerifyOnlyTheirPassword() {
        String first = hasher.hash("correct horse");
        String second = hasher.hash("correct horse");
        assertThat(first).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(second).doesNotContain("correct horse");
        assertThat(hasher.verify("correct horse", first)).isTrue();
        assertThat(hasher.verify("correct horse", second)).isTrue();
        assertThat(hasher.verify("correct horsE", first)).isFalse();
    }

    @Test
    void malformedHashesVerifyNothing() {
        assertThat(hasher.verify("x", "")).isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=x,t=2,p=1$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA")).isFalse();
        assertThat(hasher.verify("x", "$bcrypt$v=19$m=19456,t=2,p=1$AAAA$AAAA")).isFalse();
    }
}
