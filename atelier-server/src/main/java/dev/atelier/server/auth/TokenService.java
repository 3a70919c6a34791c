package dev.atelier.server.auth;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.WorkspaceGuard;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * API tokens {@code atl_<43 characters>} (256 random bits): shown once at creation, kept as SHA-256
 * hex, optionally expiring, restricted to one workspace, or read-only. Thread-safe.
 */
public final class TokenService {
    public static final String PREFIX = "atl_";
    static final int MAX_EXPIRY_DAYS = 3650;

    private final AuthStore store;
    private final WorkspaceGuard workspaces;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenService(AuthStore store, WorkspaceGuard workspaces, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Creates a token for the principal's user. A token made with a token never has more power than
     * that one: it keeps its workspace restriction, read-only flag and expiry.
     */
    public IssuedToken create(Principal creator, Optional<ApiToken> creatorToken, String name, Optional<Integer> expiresInDays,
                              Optional<String> workspace, boolean readOnly) {
        if (name.isBlank() || name.length() > 250) {
            throw AtelierException.invalidParameter("Invalid value for parameter 'name': use 1 to 250 characters");
        }
        expiresInDays.filter(days -> days < 1 || days > MAX_EXPIRY_DAYS).ifPresent(days -> {
            throw AtelierException.invalidParameter("Invalid value " + days + " for parameter 'expires_in_days': use 1 to "
                    + MAX_EXPIRY_DAYS);
        });
        workspace.ifPresent(workspaces::requireExists);
        long now = clock.millis();
        Long expiresAt = expiresInDays.map(days -> now + Duration.ofDays(days).toMillis()).orElse(null);
        String effectiveWorkspace = workspace.orElse(null);
        if (creatorToken.isPresent()) {
            ApiToken parent = creatorToken.get();
            if (parent.workspace() != null) {
                if (effectiveWorkspace != null && !effectiveWorkspace.equals(parent.workspace())) {
                    throw AtelierException.invalidParameter("A token restricted to workspace '" + parent.workspace()
                            + "' can only create tokens for that workspace");
                }
                effectiveWorkspace = parent.workspace();
            }
            readOnly = readOnly || parent.readOnly();
            if (parent.expiresAt() != null && (expiresAt == null || expiresAt > parent.expiresAt())) {
                expiresAt = parent.expiresAt();
            }
        }
        String secret = PREFIX + Secrets.randomText(random, 32);
        ApiToken token = new ApiToken(UUID.randomUUID().toString().replace("-", ""), creator.username(), name,
                effectiveWorkspace, readOnly, expiresAt, now);
        store.createToken(token, Secrets.sha256Hex(secret));
        return IssuedToken.of(token, secret);
    }

    public List<ApiToken> list(String username) {
        return store.listTokens(username);
    }

    /** Revokes one of the principal's tokens (server admins: anyone's); another user's token is "not found". */
    public void revoke(Principal principal, String id) {
        ApiToken token = store.getToken(id)
                .filter(found -> found.username().equals(principal.username()) || principal.serverAdmin())
                .orElseThrow(() -> AtelierException.notFound("Token '" + id + "' does not exist"));
        store.revokeToken(token.id(), clock.millis());
    }

    /** The token with this secret; 401 when unknown, revoked or expired. */
    ApiToken authenticate(String secret) {
        if (!secret.startsWith(PREFIX)) {
            throw UserService.unauthenticated("Invalid API token");
        }
        ApiToken token = store.findToken(Secrets.sha256Hex(secret))
                .orElseThrow(() -> UserService.unauthenticated("Invalid or revoked API token"));
        if (token.expiredAt(clock.millis())) {
            throw UserService.unauthenticated("The API token '" + token.name() + "' has expired");
        }
        return token;
    }

    /** Revokes the tokens restricted to a deleted workspace, so that a new workspace of that name starts clean. */
    void workspaceDeleted(String workspace) {
        store.revokeWorkspaceTokens(workspace, clock.millis());
    }
}
