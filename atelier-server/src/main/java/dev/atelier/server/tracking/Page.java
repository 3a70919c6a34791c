package dev.atelier.server.tracking;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One page of results and the token of the next page, when there is one. */
public record Page<T>(List<T> items, Optional<String> nextPageToken) {
    public Page {
        items = List.copyOf(items);
        requireNonNull(nextPageToken, "nextPageToken is null");
    }
}
