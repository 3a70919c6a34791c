package dev.atelier.server.jobs;

import dev.atelier.server.auth.IssuedToken;
import dev.atelier.server.auth.TokenService;
import dev.atelier.server.http.Principal;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@link RunCredentials} from the auth domain's API tokens: a token of the submitting user named
 * {@code job:<workspace>/<job>}, restricted to the job's workspace, expiring after the job's
 * timeout (plus an hour) or a week, and revoked when the job ends. The job acts with its user's
 * role in that workspace, no more.
 */
public final class TokenRunCredentials implements RunCredentials {
    private static final long SECONDS_PER_DAY = 24 * 3600;

    private final TokenService tokens;

    public TokenRunCredentials(TokenService tokens) {
        this.tokens = requireNonNull(tokens, "tokens is null");
    }

    @Override
    public Optional<Issued> issue(String workspace, String user, String jobName, long validSeconds) {
        Principal owner = new Principal(user, false, Optional.of(workspace), false, Principal.Method.BEARER_TOKEN);
        int days = (int) Math.max(1, Math.min(3650, (validSeconds + SECONDS_PER_DAY - 1) / SECONDS_PER_DAY));
        IssuedToken token = tokens.create(owner, Optional.empty(), tokenName(workspace, jobName), Optional.of(days),
                Optional.of(workspace), false);
        return Optional.of(new Issued(token.id(), token.token()));
    }

    @Override
    public void revoke(String workspace, String user, String jobName) {
        Principal owner = new Principal(user, false, Optional.empty(), false, Principal.Method.BEARER_TOKEN);
        String name = tokenName(workspace, jobName);
        tokens.list(user).stream().filter(token -> token.name().equals(name)).forEach(token -> tokens.revoke(owner, token.id()));
    }

    private static String tokenName(String workspace, String jobName) {
        return "job:" + workspace + "/" + jobName;
    }
}
