package dev.atelier.server.auth;

import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads the credentials of a request, in this order: {@code Authorization: Bearer <token>},
 * {@code Authorization: Basic} with a password or a token as the password, then the portal's
 * session cookie. Throws {@code UNAUTHENTICATED} for missing or bad credentials and
 * {@code REQUEST_LIMIT_EXCEEDED} when password guessing is throttled. Thread-safe.
 */
final class CredentialAuthenticator {
    private final UserService users;
    private final TokenService tokens;
    private final SessionService sessions;

    CredentialAuthenticator(UserService users, TokenService tokens, SessionService sessions) {
        this.users = requireNonNull(users, "users is null");
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
    }

    Authentication authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && !header.isBlank()) {
            String trimmed = header.trim();
            int space = trimmed.indexOf(' ');
            String scheme = space < 0 ? trimmed : trimmed.substring(0, space);
            String value = space < 0 ? "" : trimmed.substring(space + 1).trim();
            if (scheme.equalsIgnoreCase("Bearer")) {
                return byToken(value, null, Principal.Method.BEARER_TOKEN);
            }
            if (scheme.equalsIgnoreCase("Basic")) {
                return byBasic(value, RequestContext.clientAddress(ctx));
            }
            throw UserService.unauthenticated("Unsupported Authorization scheme '" + scheme + "': use Bearer or Basic");
        }
        String session = ctx.cookie(SessionService.COOKIE);
        if (session != null && !session.isBlank()) {
            User user = users.activeUser(sessions.user(session));
            return new Authentication(principal(user, Optional.empty(), false, Principal.Method.SESSION), user,
                    Optional.empty(), Optional.of(session));
        }
        throw UserService.unauthenticated("Authentication required: send an API token (Authorization: Bearer atl_...) "
                + "or a user name and password (HTTP Basic)");
    }

    private Authentication byBasic(String encoded, String clientAddress) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw UserService.unauthenticated("Malformed HTTP Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw UserService.unauthenticated("Malformed HTTP Basic credentials: expected user:password");
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (password.startsWith(TokenService.PREFIX)) {
            return byToken(password, username, Principal.Method.BASIC_TOKEN);
        }
        User user = users.checkPassword(username, password, clientAddress);
        return new Authentication(principal(user, Optional.empty(), false, Principal.Method.BASIC_PASSWORD), user,
                Optional.empty(), Optional.empty());
    }

    /** A token's principal; with HTTP Basic the user name must be the token's owner. */
    private Authentication byToken(String secret, String expectedUser, Principal.Method method) {
        ApiToken token = tokens.authenticate(secret);
        if (expectedUser != null && !expectedUser.equals(token.username())) {
            throw UserService.unauthenticated("Invalid or revoked API token");
        }
        User user = users.activeUser(token.username());
        return new Authentication(principal(user, Optional.ofNullable(token.workspace()), token.readOnly(), method), user,
                Optional.of(token), Optional.empty());
    }

    private static Principal principal(User user, Optional<String> workspace, boolean readOnly, Principal.Method method) {
        return new Principal(user.username(), user.serverAdmin(), workspace, readOnly, method);
    }
}
