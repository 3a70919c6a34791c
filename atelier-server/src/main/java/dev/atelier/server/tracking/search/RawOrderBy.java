package dev.atelier.server.tracking.search;

import static java.util.Objects.requireNonNull;

/** One order_by entry as written: an identifier and its direction (ascending unless DESC). */
record RawOrderBy(RawIdentifier identifier, boolean ascending) {
    RawOrderBy {
        requireNonNull(identifier, "identifier is null");
    }
}
