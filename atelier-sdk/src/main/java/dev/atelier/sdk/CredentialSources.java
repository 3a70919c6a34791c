package dev.atelier.sdk;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Finds the credentials of a client that was given none explicitly, in this order:
 * <ol>
 *   <li>{@code ATELIER_TOKEN}, an API token;</li>
 *   <li>{@code ATELIER_USERNAME} and {@code ATELIER_PASSWORD}, both set;</li>
 *   <li>the token {@code atelier login} stored for the server's URL in the {@link CredentialsFile};</li>
 *   <li>none.</li>
 * </ol>
 * The environment is passed in, so tests and embedding programs decide what it holds.
 */
public final class CredentialSources {
    public static final String TOKEN_VARIABLE = "ATELIER_TOKEN";
    public static final String USERNAME_VARIABLE = "ATELIER_USERNAME";
    public static final String PASSWORD_VARIABLE = "ATELIER_PASSWORD";

    private CredentialSources() {
    }

    /** Credentials and where they came from, to tell the person which ones the server refused. */
    public record Resolved(Credentials credentials, String source) {
        public Resolved {
            requireNonNull(credentials, "credentials is null");
            requireNonNull(source, "source is null");
        }
    }

    /**
     * @throws CredentialsFileException when the lookup reaches a credentials file that cannot be read
     */
    public static Resolved resolve(String baseUrl, Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        Optional<String> token = variable(environment, TOKEN_VARIABLE);
        if (token.isPresent()) {
            return new Resolved(Credentials.token(token.get()), TOKEN_VARIABLE);
        }
        Optional<String> username = variable(environment, USERNAME_VARIABLE);
        Optional<String> password = Optional.ofNullable(environment.get(PASSWORD_VARIABLE));
        if (username.isPresent() && password.isPresent()) {
            return new Resolved(Credentials.basic(username.get(), password.get()), USERNAME_VARIABLE + " and " + PASSWORD_VARIABLE);
        }
        CredentialsFile file = CredentialsFile.located(environment);
        return file.find(baseUrl)
                .map(stored -> new Resolved(Credentials.token(stored.token()), "the credentials file " + file.path()))
                .orElse(new Resolved(Credentials.NONE, "none"));
    }

    private static Optional<String> variable(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).filter(value -> !value.isBlank());
    }
}
