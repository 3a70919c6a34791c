package dev.atelier.server.tracking.search;

import static java.util.Objects.requireNonNull;

/**
 * An identifier as written, before it is checked against a search's vocabulary:
 * {@code metrics.acc} has entity {@code metrics} and key {@code acc}; a bare {@code status} has no
 * entity. Quotes and backticks are already removed.
 *
 * @param entity the text before the first dot, or {@code null} for a bare identifier
 */
public record RawIdentifier(String entity, String key) {
    public RawIdentifier {
        requireNonNull(key, "key is null");
    }

    @Override
    public String toString() {
        return entity == null ? key : entity + "." + key;
    }
}
