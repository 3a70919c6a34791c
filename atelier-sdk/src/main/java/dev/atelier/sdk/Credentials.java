package dev.atelier.sdk;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a client proves its identity with (docs/security.md, "Credentials"). {@code toString} never
 * shows the secret part, so credentials can be logged or printed in an exception safely.
 */
public sealed interface Credentials {
    /** No credentials: fine for a server started without {@code --auth}. */
    Credentials NONE = new Anonymous();

    /** The value of the {@code Authorization} header, or empty when nothing is sent. */
    Optional<String> authorizationHeader();

    static Credentials token(String token) {
        return new Token(token);
    }

    static Credentials basic(String username, String password) {
        return new Basic(username, password);
    }

    /** Sends nothing. */
    record Anonymous() implements Credentials {
        @Override
        public Optional<String> authorizationHeader() {
            return Optional.empty();
        }
    }

    /** An API token ({@code atl_...}) sent as {@code Authorization: Bearer}. */
    record Token(String token) implements Credentials {
        public Token {
            requireNonNull(token, "token is null");
            if (token.isBlank()) {
                throw new IllegalArgumentException("token is blank");
            }
        }

        @Override
        public Optional<String> authorizationHeader() {
            return Optional.of("Bearer " + token);
        }

        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    /** A user name and a password (or an API token in its place) sent as HTTP Basic. */
    record Basic(String username, String password) implements Credentials {
        public Basic {
            requireNonNull(username, "username is null");
            requireNonNull(password, "password is null");
            if (username.isBlank()) {
                throw new IllegalArgumentException("username is blank");
            }
            if (username.contains(":")) {
                throw new IllegalArgumentException("username contains ':', which HTTP Basic cannot carry");
            }
        }

        @Override
        public Optional<String> authorizationHeader() {
            byte[] pair = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair));
        }

        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }
}
