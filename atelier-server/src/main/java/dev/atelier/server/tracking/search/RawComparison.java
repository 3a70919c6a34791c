package dev.atelier.server.tracking.search;

import static java.util.Objects.requireNonNull;

/** One {@code identifier operator value} clause as written, before its meaning is checked. */
public record RawComparison(RawIdentifier identifier, String operator, RawValue value) {
    public RawComparison {
        requireNonNull(identifier, "identifier is null");
        requireNonNull(operator, "operator is null");
        requireNonNull(value, "value is null");
    }
}
