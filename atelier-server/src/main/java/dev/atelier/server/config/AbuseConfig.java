package dev.atelier.server.config;

import dev.atelier.server.http.TrustedProxies;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * Limits against abuse that an operator can tune (docs/security.md, "Abuse limits").
 *
 * @param trustedProxies reverse proxies whose {@code X-Forwarded-For} names the client ({@code --trusted-proxies});
 *                       only with authentication, where the client address keys the login throttle
 * @param metricsToken   a bearer token that may read {@code /metrics} with authentication on
 *                       ({@code --metrics-token}, env {@code ATELIER_METRICS_TOKEN})
 * @param metricsPort    a port on which a loopback-only listener serves {@code /metrics} alone ({@code --metrics-port})
 * @param auditRetention how long audit events are kept; gc deletes older ones; empty keeps them forever
 *                       ({@code --audit-retention})
 */
public record AbuseConfig(TrustedProxies trustedProxies, Optional<String> metricsToken, OptionalInt metricsPort,
                          Optional<Duration> auditRetention) {
    public static final Duration DEFAULT_AUDIT_RETENTION = Duration.ofDays(365);
    public static final AbuseConfig DEFAULTS = new AbuseConfig(TrustedProxies.NONE, Optional.empty(), OptionalInt.empty(),
            Optional.of(DEFAULT_AUDIT_RETENTION));

    public AbuseConfig {
        requireNonNull(trustedProxies, "trustedProxies is null");
        requireNonNull(metricsToken, "metricsToken is null");
        requireNonNull(metricsPort, "metricsPort is null");
        requireNonNull(auditRetention, "auditRetention is null");
        metricsToken = metricsToken.filter(token -> !token.isBlank());
        if (metricsToken.isPresent() && metricsToken.get().length() < 16) {
            throw new IllegalArgumentException("the metrics token must have at least 16 characters");
        }
        if (metricsPort.isPresent() && (metricsPort.getAsInt() < 0 || metricsPort.getAsInt() > 65535)) {
            throw new IllegalArgumentException("the metrics port must be between 0 and 65535: " + metricsPort.getAsInt());
        }
        if (auditRetention.isPresent() && (auditRetention.get().isNegative() || auditRetention.get().isZero())) {
            throw new IllegalArgumentException("the audit retention must be positive; leave it empty to keep events forever");
        }
    }

    public AbuseConfig withTrustedProxies(TrustedProxies proxies) {
        return new AbuseConfig(proxies, metricsToken, metricsPort, auditRetention);
    }

    public AbuseConfig withMetricsToken(String token) {
        return new AbuseConfig(trustedProxies, Optional.ofNullable(token), metricsPort, auditRetention);
    }

    public AbuseConfig withMetricsPort(int port) {
        return new AbuseConfig(trustedProxies, metricsToken, OptionalInt.of(port), auditRetention);
    }

    public AbuseConfig withAuditRetention(Optional<Duration> retention) {
        return new AbuseConfig(trustedProxies, metricsToken, metricsPort, retention);
    }
}
