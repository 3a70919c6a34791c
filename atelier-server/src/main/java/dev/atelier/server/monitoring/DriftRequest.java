package dev.atelier.server.monitoring;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a drift report compares: the requests logged in {@code [from, to)} (every logged request
 * before {@code to} when {@code from} is absent; {@code to} defaults to now), of one deployment when
 * given, against the {@code table} data asset version {@code reference}.
 */
public record DriftRequest(String reference, Optional<Long> from, Optional<Long> to, Optional<String> deployment) {
    public DriftRequest {
        requireNonNull(reference, "reference is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(deployment, "deployment is null");
    }
}
