package dev.atelier.server.config;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How the server protects itself.
 *
 * @param authEnabled          require credentials on every non-public route; without it the server only
 *                             binds to loopback (a single local user, like a local MLflow)
 * @param initialAdminPassword the first admin's password (env {@code ATELIER_ADMIN_PASSWORD}); generated and
 *                             printed once when empty
 * @param masterKey            base64 of the 32-byte key that encrypts secrets (env {@code ATELIER_MASTER_KEY});
 *                             when empty a key file in the data directory is used, created on first start
 * @param abuse                trusted proxies, /metrics access and audit retention (docs/security.md, "Abuse limits")
 * @param origins              which Host names and browser origins are answered (docs/security.md, "Browser-origin protection")
 */
public record SecurityConfig(boolean authEnabled, Optional<String> initialAdminPassword, Optional<String> masterKey,
                             AbuseConfig abuse, Origins origins) {
    public static final SecurityConfig NONE = new SecurityConfig(false, Optional.empty(), Optional.empty());

    public SecurityConfig {
        requireNonNull(initialAdminPassword, "initialAdminPassword is null");
        requireNonNull(masterKey, "masterKey is null");
        requireNonNull(abuse, "abuse is null");
        requireNonNull(origins, "origins is null");
    }

    /** Default abuse limits and origins (loopback names, the bound address and the public URL's host; no other origin). */
    public SecurityConfig(boolean authEnabled, Optional<String> initialAdminPassword, Optional<String> masterKey) {
        this(authEnabled, initialAdminPassword, masterKey, AbuseConfig.DEFAULTS, Origins.DEFAULTS);
    }

    public SecurityConfig withAbuse(AbuseConfig newAbuse) {
        return new SecurityConfig(authEnabled, initialAdminPassword, masterKey, newAbuse, origins);
    }

    public SecurityConfig withOrigins(Origins newOrigins) {
        return new SecurityConfig(authEnabled, initialAdminPassword, masterKey, abuse, newOrigins);
    }
    /**
     * @param allowedHosts       {@code --allowed-hosts}: Host names answered besides the defaults; {@code *} answers every
     *                           name (unsafe: DNS rebinding)
     * @param corsAllowedOrigins {@code --cors-allowed-origins}: origins ({@code https://app.example}) whose pages may change
     *                           things and read answers, besides the server's own
     */
    public record Origins(List<String> allowedHosts, List<String> corsAllowedOrigins) {
        public static final Origins DEFAULTS = new Origins(List.of(), List.of());

        public Origins {
            allowedHosts = List.copyOf(allowedHosts);
            corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        }
    }

    /** Authentication on, with the admin password and master key taken from the environment when set. */
    public static SecurityConfig fromEnvironment(boolean authEnabled) {
        return new SecurityConfig(authEnabled, Optional.ofNullable(System.getenv("ATELIER_ADMIN_PASSWORD")).filter(v -> !v.isBlank()),
                Optional.ofNullable(System.getenv("ATELIER_MASTER_KEY")).filter(v -> !v.isBlank()));
    }
}
